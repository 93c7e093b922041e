// Dataset manifests (audio_id,path,length,sample_rate) as IDataViews: CSV through ML.NET's text loader, Parquet streamed.
using Kanade.MLNet.Data;
using Kanade.Training.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet;

/// <summary>
/// Loads the manifests of kanade-tokenizer's <c>dump_dataset</c> (columns <c>audio_id, path, length, sample_rate</c>,
/// any order, other columns ignored) as an <see cref="IDataView"/> with the columns <see cref="AudioIdColumn"/> (Text),
/// <see cref="PathColumn"/> (Text), <see cref="LengthColumn"/> (Int64) and <see cref="SampleRateColumn"/> (Int32).
/// </summary>
/// <remarks>
/// A <c>.csv</c> manifest goes through ML.NET's <see cref="TextLoader"/> (header row, quoted fields allowed); a
/// <c>.parquet</c> manifest is streamed row group by row group. Nothing is read until a cursor moves. Kanade.Training's
/// <c>AudioManifest</c> reads the same files eagerly into a list for training.
/// </remarks>
public static class KanadeManifest
{
    /// <summary>Recording id column (Text), from <c>audio_id</c>.</summary>
    public const string AudioIdColumn = "AudioId";
    /// <summary>Audio path column (Text), from <c>path</c>.</summary>
    public const string PathColumn = KanadeColumns.Path;
    /// <summary>Frame count at the file's rate (Int64), from <c>length</c>.</summary>
    public const string LengthColumn = "Length";
    /// <summary>The file's sample rate (Int32), from <c>sample_rate</c>.</summary>
    public const string SampleRateColumn = "SampleRate";

    static readonly (string File, string Column, DataKind Kind)[] columns =
    [
        ("audio_id", AudioIdColumn, DataKind.String), ("path", PathColumn, DataKind.String),
        ("length", LengthColumn, DataKind.Int64), ("sample_rate", SampleRateColumn, DataKind.Int32),
    ];

    static readonly string Expected = string.Join(",", AudioManifest.Columns);

    /// <summary>Loads a <c>.csv</c> or <c>.parquet</c> manifest (lazily).</summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="path">The manifest file.</param>
    /// <exception cref="InvalidDataException">The header lacks a required column, or the extension is neither .csv nor .parquet.</exception>
    public static IDataView Load(MLContext ml, string path)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Manifest '{path}' does not exist.", path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => LoadCsv(ml, path),
            ".parquet" => LoadParquet(path),
            string other => throw new InvalidDataException($"Manifest '{path}': extension '{other}' is not supported; use .csv or .parquet."),
        };
    }

    static IDataView LoadCsv(MLContext ml, string path)
    {
        string header;
        using (var reader = new StreamReader(path)) header = reader.ReadLine() ?? "";
        var names = header.TrimStart('\uFEFF').Split(',').Select(n => n.Trim().Trim('"')).ToList();
        var loaderColumns = columns.Select(c =>
        {
            int index = names.IndexOf(c.File);
            if (index < 0)
                throw new InvalidDataException(
                    $"Manifest '{path}' has no column '{c.File}'; found [{string.Join(", ", names)}], expected {Expected}.");
            return new TextLoader.Column(c.Column, c.Kind, index);
        }).ToArray();
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = loaderColumns, HasHeader = true, Separators = [','], AllowQuoting = true, TrimWhitespace = true,
        });
        return loader.Load(path);
    }

    static IDataView LoadParquet(string path)
    {
        var view = new ParquetDataView([path], columns.ToDictionary(c => c.File, c => c.Column));
        foreach (var c in columns)
            if (view.Schema.GetColumnOrNull(c.Column) is null)
                throw new InvalidDataException(
                    $"Manifest '{path}' has no column '{c.File}'; found [{string.Join(", ", view.Schema.Select(s => s.Name))}], expected {Expected}.");
        return view;
    }
}
