// Port of kanade-tokenizer model.py KanadeModelConfig (MIT). Property names are the YAML keys in PascalCase.
namespace Kanade;

/// <summary>
/// The <c>config</c> section of a Kanade model YAML: SSL layer choice, down/up-sampling, mel settings, vocoder.
/// Defaults are the reference's.
/// </summary>
public sealed record KanadeModelConfig
{
    /// <summary>1-based SSL layers averaged for the local (content) branch.</summary>
    public IReadOnlyList<int> LocalSslLayers { get; init; } = [6, 9];
    /// <summary>1-based SSL layers averaged for the global (speaker) branch.</summary>
    public IReadOnlyList<int> GlobalSslLayers { get; init; } = [1, 2];
    /// <summary>Normalise local SSL features over time (mean 0, unbiased std 1) before encoding.</summary>
    public bool NormalizeSslFeatures { get; init; } = true;

    /// <summary>Temporal down-sampling of the local branch (SSL frames per token).</summary>
    public int DownsampleFactor { get; init; } = 2;
    /// <summary>ConvTranspose1d up-sampling of the mel prenet output before interpolation.</summary>
    public int MelUpsampleFactor { get; init; } = 4;
    /// <summary>Strided Conv1d down-sampling (true) or average pooling (false).</summary>
    public bool UseConvDownsample { get; init; } = true;
    /// <summary><c>linear</c> or <c>nearest</c>: local up-sampling for feature reconstruction.</summary>
    public string LocalInterpolationMode { get; init; } = "linear";
    /// <summary><c>linear</c> or <c>nearest</c>: mel-rate interpolation.</summary>
    public string MelInterpolationMode { get; init; } = "linear";

    /// <summary>Sample rate of waveforms in and out of the model.</summary>
    public int SampleRate { get; init; } = 24000;
    /// <summary>Mel FFT size.</summary>
    public int NFft { get; init; } = 1024;
    /// <summary>Mel hop length in samples.</summary>
    public int HopLength { get; init; } = 256;
    /// <summary>Number of mel bins.</summary>
    public int NMels { get; init; } = 100;
    /// <summary><c>center</c> or <c>same</c>.</summary>
    public string Padding { get; init; } = "center";
    /// <summary>Lowest mel frequency in Hz.</summary>
    public int MelFmin { get; init; }
    /// <summary>Highest mel frequency in Hz; null for sample_rate / 2.</summary>
    public int? MelFmax { get; init; }
    /// <summary>BigVGAN-style (slaney) mel instead of Vocos style.</summary>
    public bool BigvganStyleMel { get; init; }

    /// <summary><c>vocos</c> or <c>hift</c>.</summary>
    public string VocoderName { get; init; } = "vocos";
}
