// LoadAudio's transformer: a Text path column -> a waveform column, read when a cursor reaches the row.
using Kanade.MLNet.Audio;
using Kanade.MLNet.Cursors;
using Kanade.MLNet.Schema;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="ITransformer"/> of <see cref="KanadeCatalog.LoadAudio(TransformsCatalog, string, string, int, string?, AudioErrorPolicy)"/>:
/// reads the audio file of each row's path as a mono Vector&lt;Single&gt; at <see cref="SampleRate"/>, peak-normalised
/// like <see cref="AudioFile.Load"/>.
/// </summary>
/// <remarks>
/// <see cref="KanadeTransformer.Transform"/> is lazy: a file is read only when a cursor that asks for the waveform (or the error column)
/// reaches its row, except under <see cref="AudioErrorPolicy.SkipRow"/>, where every row is read as the cursor moves
/// so that unreadable rows can be left out. Save a fitted pipeline with <see cref="KanadePipeline.Save"/>.
/// </remarks>
public sealed class AudioLoadingTransformer : KanadeTransformer
{
    internal AudioLoadingOptions Options { get; }

    internal AudioLoadingTransformer(AudioLoadingOptions options)
        : base("LoadAudio is not a row-to-row mapper (it can skip rows); use Transform.") => Options = options.Validated();

    /// <summary>The waveform column created.</summary>
    public string OutputColumnName => Options.OutputColumnName;
    /// <summary>The Text column of paths.</summary>
    public string InputColumnName => Options.InputColumnName;
    /// <summary>The waveforms' sample rate in Hz.</summary>
    public int SampleRate => Options.SampleRate;
    /// <summary>Folder relative paths are resolved against, or null.</summary>
    public string? AudioRoot => Options.AudioRoot;
    /// <summary>What happens to unreadable rows.</summary>
    public AudioErrorPolicy ErrorPolicy => Options.ErrorPolicy;

    internal const string Name = "LoadAudio";

    private protected override IDataView View(IDataView input) => new AudioLoadingDataView(input, this);

    internal override void CheckInputs(DataViewSchema schema)
    {
        SchemaChecks.Require(schema, Options.InputColumnName, ColumnTypes.Text, Name);
        if (Options.OffsetColumnName is { } offset) SchemaChecks.Require(schema, offset, ColumnTypes.Integer, Name);
        if (Options.FramesColumnName is { } frames) SchemaChecks.Require(schema, frames, ColumnTypes.Integer, Name);
    }

    internal override void CheckInputs(SchemaShape shape)
    {
        SchemaChecks.Require(shape, Options.InputColumnName, ColumnTypes.Text, Name);
        if (Options.OffsetColumnName is { } offset) SchemaChecks.Require(shape, offset, ColumnTypes.Integer, Name);
        if (Options.FramesColumnName is { } frames) SchemaChecks.Require(shape, frames, ColumnTypes.Integer, Name);
    }

    internal override DataViewSchema AddedColumns()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(Options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single),
            new AnnotationBuilder().Add(KanadeAnnotations.SampleRate, Options.SampleRate).Build());
        if (Options.ErrorPolicy == AudioErrorPolicy.EmptyWithErrorColumn)
            builder.AddColumn(Options.ErrorColumnName, TextDataViewType.Instance);
        return builder.ToSchema();
    }

    /// <summary>The file a path value names: relative paths under <see cref="AudioRoot"/>.</summary>
    internal string Resolve(string path) =>
        Options.AudioRoot is { } root && !System.IO.Path.IsPathRooted(path) ? System.IO.Path.Combine(root, path) : path;
}
