// KanadeEncode's transformer: waveform -> content tokens, global embedding (and content embedding), batched on the model's device.
using Kanade.MLNet.Cursors;
using Kanade.MLNet.Encode;
using Kanade.MLNet.Persistence;
using Kanade.MLNet.Schema;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="ITransformer"/> of <see cref="KanadeCatalog.KanadeEncode(TransformsCatalog, KanadeModel, string, string?, string?, int)"/>:
/// a waveform column (Vector&lt;Single&gt; at the model's rate) -> content tokens (variable-length Vector&lt;Int32&gt;, or
/// Vector&lt;Key&lt;UInt32, vocabulary&gt;&gt;), global embedding (Vector&lt;Single, GlobalDim&gt;) and optionally the content
/// embedding (Vector&lt;Single&gt;, tokens x dim row-major).
/// </summary>
/// <remarks>
/// <para><see cref="KanadeTransformer.Transform"/> is lazy. A cursor reads <see cref="KanadeBatchingOptions.ReadAheadRows"/> rows ahead,
/// encodes them in padded, masked batches of <see cref="KanadeBatchingOptions.BatchSize"/> (<see cref="KanadeModel.EncodeBatch"/>)
/// on the device the model is on, and hands the rows out in input order; one forward pass serves every output column
/// of a row. A cursor that asks only for the global embedding skips the content branch, one that asks only for tokens
/// skips the global branch, and one that asks for none of the three runs nothing.</para>
/// <para>An empty waveform (LoadAudio's <see cref="AudioErrorPolicy.EmptyWithErrorColumn"/>) gives no tokens and a global
/// embedding of NaN; a waveform shorter than <see cref="KanadeModel.MinimumSamples"/> raises an error naming the row.</para>
/// <para>ML.NET's model saving (<c>mlContext.Model.Save</c>) cannot hold a TorchSharp model: save fitted pipelines with
/// <see cref="KanadePipeline.Save"/>.</para>
/// </remarks>
public sealed class KanadeEncodingTransformer : KanadeTransformer
{
    internal KanadeEncodingOptions Options { get; }
    internal KanadeModelRunner Runner { get; } = new();
    readonly Lazy<(string Name, string Sha256)> config;

    internal KanadeEncodingTransformer(KanadeModel model, KanadeEncodingOptions options)
        : base("KanadeEncode batches rows and is not a row-to-row mapper; use Transform.")
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Options = options.Validated();
        config = new(() => ConfigIdentity(model));
    }

    /// <summary>The model (its device is the one batches run on).</summary>
    public KanadeModel Model { get; }
    /// <summary>The waveform column read.</summary>
    public string InputColumnName => Options.InputColumnName;
    /// <summary>The token column created, or null.</summary>
    public string? TokensColumnName => Options.TokensColumnName;
    /// <summary>The global-embedding column created, or null.</summary>
    public string? GlobalEmbeddingColumnName => Options.GlobalEmbeddingColumnName;
    /// <summary>The content-embedding column created, or null.</summary>
    public string? ContentEmbeddingColumnName => Options.ContentEmbeddingColumnName;

    internal const string Name = "KanadeEncode";

    private protected override IDataView View(IDataView input) => new MappedDataView<float[], EncodedRow>(input, new EncodingMapping(this));

    internal override void CheckInputs(DataViewSchema schema) => SchemaChecks.Require(schema, Options.InputColumnName, ColumnTypes.SingleVector, Name);
    internal override void CheckInputs(SchemaShape shape) => SchemaChecks.Require(shape, Options.InputColumnName, ColumnTypes.SingleVector, Name);

    internal string[] AddedColumnNames =>
        new[] { Options.TokensColumnName, Options.GlobalEmbeddingColumnName, Options.ContentEmbeddingColumnName }.OfType<string>().ToArray();

    internal override DataViewSchema AddedColumns()
    {
        var (configName, configSha256) = config.Value;
        var builder = new DataViewSchema.Builder();
        if (Options.TokensColumnName is { } tokens)
        {
            DataViewType item = Options.TokensAsKeys ? new KeyDataViewType(typeof(uint), (ulong)Model.VocabularySize) : NumberDataViewType.Int32;
            builder.AddColumn(tokens, new VectorDataViewType((PrimitiveDataViewType)item), new AnnotationBuilder()
                .Add(KanadeAnnotations.TokenRate, Model.TokenRate)
                .Add(KanadeAnnotations.VocabularySize, checked((int)Model.VocabularySize))
                .Add(KanadeAnnotations.FsqLevels, Model.Definition.LocalQuantizer.Levels)
                .Add(KanadeAnnotations.ModelConfig, configName)
                .Add(KanadeAnnotations.ModelConfigSha256, configSha256).Build());
        }
        if (Options.GlobalEmbeddingColumnName is { } global)
            builder.AddColumn(global, new VectorDataViewType(NumberDataViewType.Single, Model.GlobalDim), new AnnotationBuilder()
                .Add(KanadeAnnotations.ModelConfig, configName)
                .Add(KanadeAnnotations.ModelConfigSha256, configSha256).Build());
        if (Options.ContentEmbeddingColumnName is { } content)
            builder.AddColumn(content, new VectorDataViewType(NumberDataViewType.Single),
                new AnnotationBuilder().Add(KanadeAnnotations.ContentDim, Model.ContentDim).Build());
        return builder.ToSchema();
    }

    /// <summary>The config's name (file name without extension) and SHA-256, as far as the model knows its file.</summary>
    internal static (string Name, string Sha256) ConfigIdentity(KanadeModel model)
    {
        string? path = model.Definition.SourcePath;
        if (path is null) return ("", "");
        string name = System.IO.Path.GetFileNameWithoutExtension(path);
        return (name, File.Exists(path) ? FileChecksum.Sha256(path) : "");
    }
}
