// Port of Vocos feature_extractors.py MelSpectrogramFeatures.__init__ arguments (MIT).
namespace Kanade.Vocoders;

/// <summary><c>init_args</c> of Vocos' <c>MelSpectrogramFeatures</c>: the log-mel features the vocoder was trained on.</summary>
public sealed record VocosMelFeaturesOptions
{
    /// <summary>Sample rate of the waveform in Hz.</summary>
    public int SampleRate { get; init; } = 24000;
    /// <summary>FFT size (and window length).</summary>
    public int NFft { get; init; } = 1024;
    /// <summary>Samples between frames.</summary>
    public int HopLength { get; init; } = 256;
    /// <summary>Mel bins.</summary>
    public int NMels { get; init; } = 100;
    /// <summary><c>center</c> or <c>same</c>.</summary>
    public string Padding { get; init; } = "center";
}
