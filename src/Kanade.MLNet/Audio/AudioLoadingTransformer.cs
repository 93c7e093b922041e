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
/// <see cref="Transform"/> is lazy: a file is read only when a cursor that asks for the waveform (or the error column)
/// reaches its row, except under <see cref="AudioErrorPolicy.SkipRow"/>, where every row is read as the cursor moves
/// so that unreadable rows can be left out. Save a fitted pipeline with <see cref="KanadePipeline.Save"/>.
/// </remarks>
public sealed class AudioLoadingTransformer : ITransformer
{
    internal AudioLoadingOptions Options { get; }

    internal AudioLoadingTransformer(AudioLoadingOptions options) => Options = options.Validated();

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

    /// <summary>False: the rows can be filtered (<see cref="AudioErrorPolicy.SkipRow"/>); use <see cref="Transform"/>.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The input schema plus the waveform column (and the error column under <see cref="AudioErrorPolicy.EmptyWithErrorColumn"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The path column is absent or not Text, or an offset/frames column is not Int32/Int64.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInputs(inputSchema);
        return OutputSchemas.Append(inputSchema, AddedColumns());
    }

    /// <summary>Not supported: use <see cref="Transform"/>.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("LoadAudio is not a row-to-row mapper (it can skip rows); use Transform.");

    /// <summary>A lazy view of <paramref name="input"/> with the waveform column; nothing is read until a cursor moves.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputs(input.Schema);
        return new AudioLoadingDataView(input, this);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => throw KanadePipeline.SaveNotSupported(this);

    internal const string Name = "LoadAudio";

    internal void CheckInputs(DataViewSchema schema)
    {
        SchemaChecks.Require(schema, Options.InputColumnName, ColumnTypes.Text, Name);
        if (Options.OffsetColumnName is { } offset) SchemaChecks.Require(schema, offset, ColumnTypes.Integer, Name);
        if (Options.FramesColumnName is { } frames) SchemaChecks.Require(schema, frames, ColumnTypes.Integer, Name);
    }

    internal void CheckInputs(SchemaShape shape)
    {
        SchemaChecks.Require(shape, Options.InputColumnName, ColumnTypes.Text, Name);
        if (Options.OffsetColumnName is { } offset) SchemaChecks.Require(shape, offset, ColumnTypes.Integer, Name);
        if (Options.FramesColumnName is { } frames) SchemaChecks.Require(shape, frames, ColumnTypes.Integer, Name);
    }

    internal DataViewSchema AddedColumns()
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
