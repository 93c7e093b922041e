// Port of torchaudio transforms/_transforms.py MelSpectrogram (BSD-2-Clause): Spectrogram then MelScale.
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>
/// torchaudio's <c>MelSpectrogram</c> (Hann window, reflect padding, HTK mel scale, no filter norm) with its
/// submodules named as torchaudio names them, so its buffers are <c>spectrogram.window</c> and <c>mel_scale.fb</c>.
/// </summary>
public sealed class MelSpectrogram : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // torchaudio's attribute names: they are the checkpoint keys.
    readonly Spectrogram spectrogram;
    readonly MelScale mel_scale;
#pragma warning restore IDE1006

    /// <summary>Builds the transform.</summary>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="nFft">FFT size.</param>
    /// <param name="winLength">Window length; null for <paramref name="nFft"/>.</param>
    /// <param name="hopLength">Samples between frames; null for winLength / 2.</param>
    /// <param name="fMin">Lowest mel filter edge in Hz.</param>
    /// <param name="fMax">Highest mel filter edge in Hz; null for sampleRate / 2.</param>
    /// <param name="nMels">Number of mel filters.</param>
    /// <param name="power">Magnitude exponent (1 magnitude, 2 power).</param>
    /// <param name="center">Centre frames with reflect padding of nFft / 2.</param>
    public MelSpectrogram(int sampleRate = 16000, int nFft = 400, int? winLength = null, int? hopLength = null,
        double fMin = 0, double? fMax = null, int nMels = 128, double power = 2.0, bool center = true)
        : base(nameof(MelSpectrogram))
    {
        spectrogram = new Spectrogram(nFft, winLength, hopLength, power, center);
        mel_scale = new MelScale(nMels, sampleRate, fMin, fMax, nFft / 2 + 1);
        RegisterComponents();
    }

    /// <summary>(..., time) -> (..., n_mels, frames).</summary>
    /// <param name="waveform">Real samples on the module's device.</param>
    public override Tensor forward(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var result = mel_scale.call(spectrogram.call(waveform));
        return result.MoveToOuterDisposeScope();
    }
}
