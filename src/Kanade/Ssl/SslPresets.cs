// Port of torchaudio pipelines/_wav2vec2/impl.py bundle parameters (BSD-2-Clause), for kanade-tokenizer's MODEL_REGISTRY (MIT).
namespace Kanade.Ssl;

/// <summary>A self-supervised speech model as torchaudio's pipeline bundle describes it.</summary>
/// <param name="Name">Registry name (<c>wavlm_base_plus</c>, ...).</param>
/// <param name="Architecture">The <c>wav2vec2_model</c>/<c>wavlm_model</c> keyword arguments.</param>
/// <param name="SampleRate">Sample rate the model was trained on (16000 for every bundle).</param>
/// <param name="NormalizeWaveform">
/// Whether the bundle layer-normalises the waveform before the feature extractor (the large models). torchaudio
/// then wraps the model, so a whole-model state dict that contains it names the weights with one more
/// <c>model.</c> level; the bundle's own weight file does not.
/// </param>
public sealed record SslPreset(string Name, Wav2Vec2Architecture Architecture, int SampleRate, bool NormalizeWaveform)
{
    /// <summary>True for WavLM (gated relative position bias), false for wav2vec 2.0 and HuBERT.</summary>
    public bool IsWavLM => Architecture.EncoderNumBuckets is not null;

    /// <summary>Width of the features each transformer layer outputs.</summary>
    public int FeatureDim => Architecture.EncoderEmbedDim;
}

/// <summary>The architectures of every name in kanade-tokenizer's SSL registry, with torchaudio's bundle parameters.</summary>
public static class SslPresets
{
    const int BundleSampleRate = 16000;

    static readonly Wav2Vec2Architecture Base = new()
    {
        ExtractorMode = "group_norm",
        ExtractorConvBias = false,
        EncoderEmbedDim = 768,
        EncoderProjectionDropout = 0.1,
        EncoderPosConvKernel = 128,
        EncoderPosConvGroups = 16,
        EncoderNumLayers = 12,
        EncoderNumHeads = 12,
        EncoderAttentionDropout = 0.1,
        EncoderFfIntermFeatures = 3072,
        EncoderFfIntermDropout = 0.0,
        EncoderDropout = 0.1,
        EncoderLayerNormFirst = false,
        EncoderLayerDrop = 0.05,
        AuxNumOut = null,
    };

    static readonly Wav2Vec2Architecture Large = Base with
    {
        EncoderEmbedDim = 1024,
        EncoderNumLayers = 24,
        EncoderNumHeads = 16,
        EncoderFfIntermFeatures = 4096,
    };

    static readonly Wav2Vec2Architecture LargeLayerNorm = Large with
    {
        ExtractorMode = "layer_norm",
        EncoderLayerNormFirst = true,
        EncoderDropout = 0.0,
        EncoderLayerDrop = 0.0,
    };

    static readonly Wav2Vec2Architecture HubertLarge = LargeLayerNorm with
    {
        EncoderProjectionDropout = 0.0,
        EncoderAttentionDropout = 0.0,
    };

    static readonly SslPreset[] All =
    [
        new SslPreset("wav2vec2_base", Base, BundleSampleRate, false),
        new SslPreset("wav2vec2_large", Large with { EncoderDropout = 0.0, EncoderLayerDrop = 0.2 }, BundleSampleRate, false),
        new SslPreset("wav2vec2_large_lv60k", LargeLayerNorm with { ExtractorConvBias = true }, BundleSampleRate, true),
        new SslPreset("hubert_base", Base, BundleSampleRate, false),
        new SslPreset("hubert_large", HubertLarge, BundleSampleRate, true),
        new SslPreset("hubert_xlarge", HubertLarge with
        {
            EncoderEmbedDim = 1280,
            EncoderNumLayers = 48,
            EncoderFfIntermFeatures = 5120,
        }, BundleSampleRate, true),
        new SslPreset("wavlm_base", Base with { EncoderNumBuckets = 320, EncoderMaxDistance = 800 }, BundleSampleRate, false),
        new SslPreset("wavlm_base_plus", Base with { EncoderNumBuckets = 320, EncoderMaxDistance = 800 }, BundleSampleRate, false),
        new SslPreset("wavlm_large", Large with
        {
            ExtractorMode = "layer_norm",
            EncoderLayerNormFirst = true,
            EncoderNumBuckets = 320,
            EncoderMaxDistance = 800,
        }, BundleSampleRate, true),
    ];

    static readonly Dictionary<string, SslPreset> Presets = All.ToDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>Every registry name, in the reference's order of families (wav2vec 2.0, HuBERT, WavLM).</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToArray();

    /// <summary>The preset called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not in the registry (the message lists the names).</exception>
    public static SslPreset Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Presets.TryGetValue(name, out var preset)
            ? preset
            : throw new ArgumentException(
                $"Unknown SSL model '{name}'. Known models: {string.Join(", ", Names)}; any other name needs its architecture under 'params'.",
                nameof(name));
    }

    /// <summary>Looks a registry name up without throwing.</summary>
    public static bool TryGet(string name, out SslPreset preset)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Presets.TryGetValue(name, out preset!);
    }

    /// <summary>
    /// The preset an extractor's options describe: its explicit <see cref="SslFeatureExtractorOptions.Params"/>
    /// (16 kHz, no waveform normalisation) when given, else the registry entry of its model name.
    /// </summary>
    public static SslPreset Resolve(SslFeatureExtractorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Params is { } architecture
            ? new SslPreset(options.ModelName, architecture, BundleSampleRate, false)
            : Get(options.ModelName);
    }

    /// <summary>Builds the model of <paramref name="name"/> with random weights, in eval mode, on the CPU.</summary>
    public static Wav2Vec2Model Build(string name) => Wav2Vec2Model.FromPreset(Get(name));
}
