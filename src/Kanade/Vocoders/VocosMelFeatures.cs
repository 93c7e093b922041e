// Port of the state of Vocos feature_extractors.py MelSpectrogramFeatures (MIT): torchaudio's window and filterbank buffers.
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>
/// Vocos' <c>feature_extractor</c>, holding the buffers its checkpoints carry
/// (<c>mel_spec.spectrogram.window</c> (n_fft,), <c>mel_spec.mel_scale.fb</c> (n_fft/2+1, n_mels)).
/// Decoding never uses it; waveform-to-mel lives in Kanade.Audio.
/// </summary>
public sealed class VocosMelFeatures : Module
{
#pragma warning disable IDE1006 // PyTorch attribute name: the checkpoint's tensor names.
    readonly MelSpectrogramBuffers mel_spec;
#pragma warning restore IDE1006

    /// <summary>Creates the buffers for the given feature settings (overwritten by the checkpoint's).</summary>
    public VocosMelFeatures(VocosMelFeaturesOptions options) : base(nameof(VocosMelFeatures))
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Padding is not ("center" or "same"))
            throw new ArgumentException($"feature_extractor padding must be 'center' or 'same'; got '{options.Padding}'.", nameof(options));
        if (options.NFft < 2 || options.NMels < 1 || options.HopLength < 1 || options.SampleRate < 1)
            throw new ArgumentException(
                $"feature_extractor: sample_rate ({options.SampleRate}), n_fft ({options.NFft} >= 2), hop_length ({options.HopLength}) "
                + $"and n_mels ({options.NMels}) must be positive.", nameof(options));
        mel_spec = new MelSpectrogramBuffers(options.NFft, options.NMels);
        RegisterComponents();
    }

    sealed class MelSpectrogramBuffers : Module
    {
#pragma warning disable IDE1006 // torchaudio attribute names.
        readonly WindowBuffer spectrogram;
        readonly FilterbankBuffer mel_scale;
#pragma warning restore IDE1006

        public MelSpectrogramBuffers(int nFft, int nMels) : base("MelSpectrogram")
        {
            spectrogram = new WindowBuffer(nFft);
            mel_scale = new FilterbankBuffer(nFft / 2 + 1, nMels);
            RegisterComponents();
        }
    }

    sealed class WindowBuffer : Module
    {
#pragma warning disable IDE1006, IDE0052 // torchaudio attribute name; held for the state dict only.
        Tensor window; // not readonly: TorchSharp's to(device/dtype) writes the moved buffer back
#pragma warning restore IDE1006, IDE0052

        public WindowBuffer(int nFft) : base("Spectrogram")
        {
            window = hann_window(nFft);
            RegisterComponents();
        }
    }

    sealed class FilterbankBuffer : Module
    {
#pragma warning disable IDE1006, IDE0052 // torchaudio attribute name; held for the state dict only.
        Tensor fb; // not readonly: TorchSharp's to(device/dtype) writes the moved buffer back
#pragma warning restore IDE1006, IDE0052

        public FilterbankBuffer(int frequencies, int nMels) : base("MelScale")
        {
            fb = zeros(frequencies, nMels);
            RegisterComponents();
        }
    }
}
