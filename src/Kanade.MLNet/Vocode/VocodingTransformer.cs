// Vocode's transformer: mel spectrogram -> waveform through an IVocoder (Vocos, HiFT).
using Kanade.MLNet.Cursors;
using Kanade.MLNet.Schema;
using Kanade.MLNet.Vocode;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="ITransformer"/> of <see cref="KanadeCatalog.Vocode(TransformsCatalog, IVocoder, string, string, int)"/>:
/// a mel column (Vector&lt;Single&gt;, n_mels x frames row-major) -> a waveform column (variable-length Vector&lt;Single&gt;
/// at the vocoder's <see cref="IVocoder.SampleRate"/>, annotated with <see cref="KanadeAnnotations.SampleRate"/>).
/// </summary>
/// <remarks>
/// <see cref="KanadeTransformer.Transform"/> is lazy; rows of a read-ahead window with the same frame count are vocoded together on the
/// vocoder's device. An empty mel gives an empty waveform. Save fitted pipelines with <see cref="KanadePipeline.Save"/>.
/// </remarks>
public sealed class VocodingTransformer : KanadeTransformer
{
    internal VocodingOptions Options { get; }
    internal KanadeModelRunner Runner { get; } = new();

    internal VocodingTransformer(IVocoder vocoder, VocodingOptions options)
        : base("Vocode batches rows and is not a row-to-row mapper; use Transform.")
    {
        ArgumentNullException.ThrowIfNull(vocoder);
        Vocoder = vocoder;
        Options = options.Validated();
    }

    /// <summary>The vocoder.</summary>
    public IVocoder Vocoder { get; }
    /// <summary>The mel column read.</summary>
    public string InputColumnName => Options.InputColumnName;
    /// <summary>The waveform column created.</summary>
    public string OutputColumnName => Options.OutputColumnName;

    /// <summary>The device the vocoder's weights are on (CPU for a vocoder that is not a TorchSharp module).</summary>
    internal Device Device => Vocoder is TorchSharp.torch.nn.Module module && module.parameters().FirstOrDefault() is { } p ? p.device : CPU;

    internal const string Name = "Vocode";

    private protected override IDataView View(IDataView input) => new MappedDataView<float[], float[]>(input, new VocodingMapping(this));

    internal override void CheckInputs(DataViewSchema schema)
    {
        var mel = SchemaChecks.Require(schema, Options.InputColumnName, ColumnTypes.SingleVector, Name);
        if (mel.Annotations.Schema.GetColumnOrNull(KanadeAnnotations.MelBins) is { } annotation && annotation.Type == NumberDataViewType.Int32)
        {
            int bins = 0;
            mel.Annotations.GetValue(KanadeAnnotations.MelBins, ref bins);
            if (bins != Vocoder.MelBins)
                throw new ArgumentOutOfRangeException("inputSchema",
                    $"{Name}: input column '{mel.Name}' holds mels of {bins} bins ({KanadeAnnotations.MelBins}); the vocoder expects {Vocoder.MelBins}.");
        }
    }

    internal override void CheckInputs(SchemaShape shape) => SchemaChecks.Require(shape, Options.InputColumnName, ColumnTypes.SingleVector, Name);

    internal override DataViewSchema AddedColumns()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(Options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single),
            new AnnotationBuilder().Add(KanadeAnnotations.SampleRate, Vocoder.SampleRate).Build());
        return builder.ToSchema();
    }
}
