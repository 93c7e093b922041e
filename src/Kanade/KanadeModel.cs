// Port of kanade-tokenizer model.py KanadeModel (MIT).
using Kanade.IO;
using Kanade.Modules;
using Kanade.Ssl;
using TorchSharp;
using TorchSharp.Modules;
using Transformer = Kanade.Modules.Transformer;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade;

/// <summary>
/// The Kanade tokenizer: a frozen SSL model (WavLM) feeding a local branch (windowed Transformer, strided
/// convolution, FSQ: content tokens) and a global branch (ConvNeXt + attentive pooling: one embedding), and a mel
/// decoder that turns content embeddings and a global embedding back into a mel spectrogram.
/// </summary>
/// <remarks>
/// Stage methods (<see cref="ForwardSslFeatures"/>, <see cref="ForwardContent"/>, <see cref="ForwardGlobal"/>,
/// <see cref="ForwardMel"/>) work on batches and keep autograd for training; <see cref="Encode"/>,
/// <see cref="Decode"/> and <see cref="VoiceConversion"/> are the single-utterance inference API.
/// </remarks>
public sealed partial class KanadeModel : Module
{
#pragma warning disable IDE1006 // field names are the checkpoint's tensor-name prefixes
    readonly SslFeatureExtractor ssl_feature_extractor;
    readonly Transformer local_encoder;
    readonly FiniteScalarQuantizer local_quantizer;
    readonly Transformer? feature_decoder;
    readonly Conv1d? conv_downsample;
    readonly ConvTranspose1d? conv_upsample;
    readonly GlobalEncoder global_encoder;
    readonly Transformer mel_prenet;
    readonly Transformer mel_decoder;
    readonly PostNet mel_postnet;
    readonly ConvTranspose1d? mel_conv_upsample;
#pragma warning restore IDE1006

    /// <summary>Everything the model YAML said.</summary>
    public KanadeModelDefinition Definition { get; }
    /// <summary>Model-level settings (sample rate, mel, vocoder...).</summary>
    public KanadeModelConfig Config => Definition.Config;
    /// <summary>The frozen SSL feature extractor.</summary>
    public SslFeatureExtractor SslFeatureExtractor => ssl_feature_extractor;
    /// <summary>Number of distinct content tokens (12,800 for the published models).</summary>
    public long VocabularySize => local_quantizer.CodebookSize;
    /// <summary>Width of the global embedding (128 for the published models).</summary>
    public int GlobalDim => Definition.GlobalEncoder.OutputChannels;
    /// <summary>Width of the content embedding.</summary>
    public int ContentDim => Definition.LocalQuantizer.OutputDim;
    /// <summary>Content tokens per second of audio (12.5 or 25 for the published models).</summary>
    public double TokenRate => (double)ssl_feature_extractor.SslSampleRate / ssl_feature_extractor.HopSize / Config.DownsampleFactor;
    /// <summary>Fewest waveform samples <see cref="Encode"/> accepts: enough SSL frames for one token (and a time statistic).</summary>
    public long MinimumSamples { get; }
    /// <summary>The device the model's weights are on; inference inputs are moved here and results stay here.</summary>
    public Device Device => mel_postnet.parameters().First().device; // the PostNet always has weights; FSQ's projections may be identities

    /// <summary>Moves an inference input to the model's device (a no-op when it is there already).</summary>
    Tensor OnDevice(Tensor t)
    {
        var device = Device;
        return t.device_type == device.type && t.device_index == device.index ? t : t.to(device);
    }
    /// <summary>Whether the SSL-feature reconstruction decoder (training only) is present.</summary>
    public bool HasFeatureDecoder => feature_decoder is not null;

    /// <summary>Builds the architecture of <paramref name="definition"/> (random weights: load a checkpoint next).</summary>
    public KanadeModel(KanadeModelDefinition definition) : base(nameof(KanadeModel))
    {
        Definition = definition;
        var config = definition.Config;
        Validate(definition);
        ssl_feature_extractor = new SslFeatureExtractor(definition.SslFeatureExtractor);
        local_encoder = new Transformer(definition.LocalEncoder);
        local_quantizer = new FiniteScalarQuantizer(definition.LocalQuantizer);
        feature_decoder = definition.FeatureDecoder is null ? null : new Transformer(definition.FeatureDecoder);
        if (config.DownsampleFactor > 1 && config.UseConvDownsample)
        {
            int width = local_encoder.OutputDim;
            conv_downsample = Conv1d(width, width, config.DownsampleFactor, stride: config.DownsampleFactor);
            conv_upsample = ConvTranspose1d(width, width, config.DownsampleFactor, stride: config.DownsampleFactor);
        }
        global_encoder = new GlobalEncoder(definition.GlobalEncoder);
        mel_prenet = new Transformer(definition.MelPrenet);
        mel_decoder = new Transformer(definition.MelDecoder);
        mel_postnet = new PostNet(definition.MelPostnet);
        if (config.MelUpsampleFactor > 1)
            mel_conv_upsample = ConvTranspose1d(mel_prenet.OutputDim, mel_prenet.OutputDim, config.MelUpsampleFactor, stride: config.MelUpsampleFactor);
        RegisterComponents();
        foreach (var parameter in ssl_feature_extractor.parameters()) parameter.requires_grad = false; // the SSL model is always frozen

        int minimumFrames = Math.Max(config.DownsampleFactor, 2);
        MinimumSamples = (long)Math.Floor((minimumFrames - 1) * (double)ssl_feature_extractor.HopSize * config.SampleRate / ssl_feature_extractor.SslSampleRate) + 1;
        eval();
    }

    static void Validate(KanadeModelDefinition d)
    {
        string where = d.SourcePath is null ? "model config" : $"model config '{d.SourcePath}'";
        var c = d.Config;
        if (c.DownsampleFactor < 1) throw new ArgumentException($"{where}: config.downsample_factor must be >= 1, got {c.DownsampleFactor}.");
        if (c.MelUpsampleFactor < 1) throw new ArgumentException($"{where}: config.mel_upsample_factor must be >= 1, got {c.MelUpsampleFactor}.");
        foreach (var (name, mode) in new[] { ("local_interpolation_mode", c.LocalInterpolationMode), ("mel_interpolation_mode", c.MelInterpolationMode) })
            if (mode is not ("linear" or "nearest")) throw new ArgumentException($"{where}: config.{name} must be 'linear' or 'nearest', got '{mode}'.");
        if (c.Padding is not ("center" or "same")) throw new ArgumentException($"{where}: config.padding must be 'center' or 'same', got '{c.Padding}'.");
        if (c.VocoderName is not ("vocos" or "hift")) throw new ArgumentException($"{where}: config.vocoder_name must be 'vocos' or 'hift', got '{c.VocoderName}'.");
        int layers = d.SslFeatureExtractor.OutputLayer ?? int.MaxValue;
        foreach (int layer in c.LocalSslLayers.Concat(c.GlobalSslLayers))
            if (layer < 1 || layer > layers) throw new ArgumentException($"{where}: SSL layer {layer} is outside 1..{layers} (ssl_feature_extractor.output_layer).");
        if (d.MelDecoder.OutputDim is int melBins && melBins != c.NMels)
            throw new ArgumentException($"{where}: mel_decoder.output_dim {melBins} differs from config.n_mels {c.NMels}.");
    }

    // ======== Loading ========

    /// <summary>
    /// Builds the model of <paramref name="configPath"/> and loads <paramref name="weightsPath"/> strictly. The SSL
    /// weights come from the main file (keys under <c>ssl_feature_extractor.model.</c>) or from
    /// <paramref name="sslWeightsPath"/> (torchaudio <c>.pth</c>, Hugging Face WavLM, or safetensors with torchaudio
    /// names). Only the training-only modules a published export leaves out may be absent. Eval mode, CPU.
    /// </summary>
    public static KanadeModel FromPretrained(string configPath, string weightsPath, string? sslWeightsPath = null)
    {
        var model = new KanadeModel(ModelConfigLoader.Load(configPath));
        model.LoadWeights(weightsPath, sslWeightsPath);
        return model;
    }

    /// <summary>Loads weights into this model (see <see cref="FromPretrained(string, string, string?)"/>); returns what was absent on purpose.</summary>
    public LoadReport LoadWeights(string weightsPath, string? sslWeightsPath = null)
    {
        var weights = WeightFile.Load(weightsPath);
        try
        {
            bool sslInMain = weights.Keys.Any(k => k.StartsWith(SslWeights.KanadePrefix, StringComparison.Ordinal));
            if (sslWeightsPath is not null)
            {
                foreach (var (name, tensor) in SslWeights.Load(sslWeightsPath))
                {
                    if (weights.Remove(SslWeights.KanadePrefix + name, out var replaced)) replaced.Dispose();
                    weights[SslWeights.KanadePrefix + name] = tensor;
                }
            }
            else if (!sslInMain)
            {
                throw new FileNotFoundException(
                    $"'{weightsPath}' holds no SSL weights (no '{SslWeights.KanadePrefix}*' tensors), as published exports do not. Pass the SSL weights " +
                    $"(sslWeightsPath, --ssl-weights): {SslWeights.WhereToGet(Definition.SslFeatureExtractor.ModelName)}", weightsPath);
            }
            var report = StateDictLoader.Load(this, weights, new StateDictLoadOptions
            {
                SourceName = sslWeightsPath is null ? weightsPath : $"{weightsPath} + {sslWeightsPath}",
                // Exports leave out the training-only modules; the resampler kernel is recomputed from the two rates.
                AbsentPrefixes = ["ssl_feature_extractor.resampler.", "feature_decoder.", "conv_upsample."],
            });
            eval();
            return report;
        }
        finally
        {
            // The values were copied into the parameters: free the file's copy now rather than at some later GC.
            foreach (var tensor in weights.Values) tensor.Dispose();
        }
    }

    /// <summary>
    /// Modules a published inference checkpoint leaves out: the frozen SSL model (shipped apart), and the feature decoder
    /// and conv_upsample that only training uses.
    /// </summary>
    public static IReadOnlyList<string> SeparatelySavedModules { get; } = ["ssl_feature_extractor", "feature_decoder", "conv_upsample"];

    /// <summary>The model's tensors for saving, leaving out <see cref="SeparatelySavedModules"/> unless named.</summary>
    public Dictionary<string, Tensor> WeightsToSave(IEnumerable<string>? includeModules = null)
    {
        var include = new HashSet<string>(includeModules ?? []);
        string[] excluded = SeparatelySavedModules.Where(m => !include.Contains(m)).ToArray();
        return named_parameters()
            .Where(p => !excluded.Any(e => p.name.StartsWith(e + ".")))
            .ToDictionary(p => p.name, p => (Tensor)p.parameter);
    }
}
