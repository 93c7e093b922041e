// KanadeDecode's transformer: tokens + global embedding -> mel spectrogram, batched on the model's device.
using Kanade.MLNet.Cursors;
using Kanade.MLNet.Decode;
using Kanade.MLNet.Schema;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="ITransformer"/> of <see cref="KanadeCatalog.KanadeDecode(TransformsCatalog, KanadeModel, string, string, string, string?, int)"/>:
/// content tokens (Vector&lt;Int32&gt;, Vector&lt;Int64&gt; or Vector&lt;Key&lt;UInt32&gt;&gt;) and a global embedding
/// (Vector&lt;Single&gt; of GlobalDim) -> a mel spectrogram (variable-length Vector&lt;Single&gt;, n_mels x frames row-major,
/// annotated with <see cref="KanadeAnnotations.MelBins"/>) and its frame count (Int32).
/// </summary>
/// <remarks>
/// <see cref="KanadeTransformer.Transform"/> is lazy; rows are decoded a read-ahead window at a time in padded, masked batches
/// (<see cref="KanadeModel.DecodeBatch"/>) on the model's device. A cursor that asks only for the frame count computes
/// it from the token count without running the decoder. Rows without tokens give an empty mel and 0 frames.
/// Save fitted pipelines with <see cref="KanadePipeline.Save"/>.
/// </remarks>
public sealed class KanadeDecodingTransformer : KanadeTransformer
{
    internal KanadeDecodingOptions Options { get; }
    internal KanadeModelRunner Runner { get; } = new();

    internal KanadeDecodingTransformer(KanadeModel model, KanadeDecodingOptions options)
        : base("KanadeDecode batches rows and is not a row-to-row mapper; use Transform.")
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Options = options.Validated();
    }

    /// <summary>The model (its device is the one batches run on).</summary>
    public KanadeModel Model { get; }
    /// <summary>The token column read.</summary>
    public string TokensColumnName => Options.TokensColumnName;
    /// <summary>The global-embedding column read.</summary>
    public string GlobalEmbeddingColumnName => Options.GlobalEmbeddingColumnName;
    /// <summary>The mel column created.</summary>
    public string MelColumnName => Options.MelColumnName;
    /// <summary>The frame-count column created, or null.</summary>
    public string? MelFramesColumnName => Options.MelFramesColumnName;

    internal const string Name = "KanadeDecode";

    private protected override IDataView View(IDataView input) => new MappedDataView<DecodeItem, DecodedRow>(input, new DecodingMapping(this, input.Schema));

    internal override void CheckInputs(DataViewSchema schema)
    {
        SchemaChecks.Require(schema, Options.TokensColumnName, ColumnTypes.TokenVector, Name);
        var global = SchemaChecks.Require(schema, Options.GlobalEmbeddingColumnName, ColumnTypes.SingleVector, Name);
        if (global.Type is VectorDataViewType { IsKnownSize: true } vector && vector.Size != Model.GlobalDim)
            throw new ArgumentOutOfRangeException("inputSchema",
                $"{Name}: schema mismatch for input column '{global.Name}': expected Vector<Single, {Model.GlobalDim}> (the model's global embedding), got {ColumnTypes.Describe(vector)}.");
        if (Options.AudioLengthColumnName is { } length) SchemaChecks.Require(schema, length, ColumnTypes.Integer, Name);
    }

    internal override void CheckInputs(SchemaShape shape)
    {
        SchemaChecks.Require(shape, Options.TokensColumnName, ColumnTypes.TokenVector, Name);
        SchemaChecks.Require(shape, Options.GlobalEmbeddingColumnName, ColumnTypes.SingleVector, Name);
        if (Options.AudioLengthColumnName is { } length) SchemaChecks.Require(shape, length, ColumnTypes.Integer, Name);
    }

    internal override DataViewSchema AddedColumns()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(Options.MelColumnName, new VectorDataViewType(NumberDataViewType.Single),
            new AnnotationBuilder().Add(KanadeAnnotations.MelBins, Model.Config.NMels).Build());
        if (Options.MelFramesColumnName is { } frames) builder.AddColumn(frames, NumberDataViewType.Int32);
        return builder.ToSchema();
    }
}
