// One row of the reference's dump_dataset manifest (audio_id,path,length,sample_rate), for ML.NET's text loader.
using Microsoft.ML.Data;

namespace Kanade.MLNet;

/// <summary>
/// A manifest row as kanade-tokenizer's <c>dump_dataset</c> writes it: <c>audio_id,path,length,sample_rate</c>, in
/// that order, with a header. Load a CSV manifest with
/// <c>mlContext.Data.LoadFromTextFile&lt;AudioManifestRow&gt;(path, separatorChar: ',', hasHeader: true, allowQuoting: true)</c>,
/// or with <see cref="KanadeManifest.Load"/>, which also accepts other column orders and Parquet manifests.
/// </summary>
public sealed class AudioManifestRow
{
    /// <summary>Unique id of the recording (Text, column <c>AudioId</c>).</summary>
    [LoadColumn(0), ColumnName(KanadeManifest.AudioIdColumn)]
    public string AudioId = "";

    /// <summary>Audio file path, relative to the dataset's audio root or absolute (Text, column <c>Path</c>).</summary>
    [LoadColumn(1), ColumnName(KanadeManifest.PathColumn)]
    public string Path = "";

    /// <summary>Frames in the file at its own sample rate (Int64, column <c>Length</c>).</summary>
    [LoadColumn(2), ColumnName(KanadeManifest.LengthColumn)]
    public long Length;

    /// <summary>The file's sample rate in Hz (Int32, column <c>SampleRate</c>).</summary>
    [LoadColumn(3), ColumnName(KanadeManifest.SampleRateColumn)]
    public int SampleRate;
}
