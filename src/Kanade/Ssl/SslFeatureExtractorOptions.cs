// Port of kanade-tokenizer module/ssl_extractor.py SSLFeatureExtractor.__init__ arguments (MIT).
namespace Kanade.Ssl;

/// <summary><c>init_args</c> of a reference <c>SSLFeatureExtractor</c>.</summary>
public sealed record SslFeatureExtractorOptions
{
    /// <summary>A registry name (<c>wavlm_base_plus</c>, ...) or any name when <see cref="Params"/> is given.</summary>
    public string ModelName { get; init; } = "wavlm_base_plus";
    /// <summary>Number of transformer layers to run (1-based; null for all).</summary>
    public int? OutputLayer { get; init; }
    /// <summary>Sample rate of the waveform given to the extractor (resampled to the SSL model's rate).</summary>
    public int SampleRate { get; init; } = 16000;
    /// <summary>Explicit architecture (torchaudio <c>wavlm_model</c>/<c>wav2vec2_model</c> keyword arguments); overrides the preset.</summary>
    public Wav2Vec2Architecture? Params { get; init; }
}

/// <summary>
/// torchaudio's <c>wav2vec2_model</c> / <c>wavlm_model</c> keyword arguments. WavLM when
/// <see cref="EncoderNumBuckets"/> is set (gated relative position bias), wav2vec 2.0 / HuBERT otherwise.
/// </summary>
public sealed record Wav2Vec2Architecture
{
    /// <summary><c>group_norm</c> or <c>layer_norm</c>.</summary>
    public string ExtractorMode { get; init; } = "group_norm";
    /// <summary>(channels, kernel, stride) per convolution; null for the standard 7-layer stack.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? ExtractorConvLayerConfig { get; init; }
    /// <summary>Bias in the feature-extractor convolutions.</summary>
    public bool ExtractorConvBias { get; init; }
    /// <summary>Transformer width.</summary>
    public int EncoderEmbedDim { get; init; } = 768;
    /// <summary>Dropout after the feature projection.</summary>
    public double EncoderProjectionDropout { get; init; } = 0.1;
    /// <summary>Convolutional positional embedding kernel.</summary>
    public int EncoderPosConvKernel { get; init; } = 128;
    /// <summary>Convolutional positional embedding groups.</summary>
    public int EncoderPosConvGroups { get; init; } = 16;
    /// <summary>Transformer layers.</summary>
    public int EncoderNumLayers { get; init; } = 12;
    /// <summary>Attention heads.</summary>
    public int EncoderNumHeads { get; init; } = 12;
    /// <summary>WavLM relative-position buckets; null for wav2vec 2.0 / HuBERT (no relative bias).</summary>
    public int? EncoderNumBuckets { get; init; }
    /// <summary>WavLM relative-position maximum distance.</summary>
    public int? EncoderMaxDistance { get; init; }
    /// <summary>Attention dropout.</summary>
    public double EncoderAttentionDropout { get; init; } = 0.1;
    /// <summary>Feed-forward hidden width.</summary>
    public int EncoderFfIntermFeatures { get; init; } = 3072;
    /// <summary>Feed-forward dropout.</summary>
    public double EncoderFfIntermDropout { get; init; }
    /// <summary>Residual dropout.</summary>
    public double EncoderDropout { get; init; } = 0.1;
    /// <summary>Pre-norm (true) or post-norm (false) layers.</summary>
    public bool EncoderLayerNormFirst { get; init; }
    /// <summary>LayerDrop probability (training only).</summary>
    public double EncoderLayerDrop { get; init; } = 0.1;
    /// <summary>CTC head size; null for none.</summary>
    public int? AuxNumOut { get; init; }
}
