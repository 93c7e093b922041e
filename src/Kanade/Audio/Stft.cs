// Thin wrappers over torch.stft for the analysis side (the vocoders own the synthesis side).
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>Short-time Fourier transforms over (..., time) batches, as torchaudio and the reference call <c>torch.stft</c>.</summary>
public static class Stft
{
    /// <summary>
    /// One-sided complex STFT of (..., time): (..., nFft / 2 + 1, frames), not normalised. With <paramref name="center"/>
    /// the signal is first padded by nFft / 2 on both sides with <paramref name="padMode"/>, as torch.stft does.
    /// </summary>
    /// <param name="waveform">Real samples, (..., time).</param>
    /// <param name="nFft">FFT size.</param>
    /// <param name="hopLength">Samples between frames.</param>
    /// <param name="window">Window of length <paramref name="winLength"/>, on the waveform's device.</param>
    /// <param name="winLength">Window length; null for <paramref name="nFft"/>.</param>
    /// <param name="center">Pad so that frame t is centred on sample t * hopLength.</param>
    /// <param name="padMode">Padding used when <paramref name="center"/> is set.</param>
    public static Tensor Complex(Tensor waveform, int nFft, int hopLength, Tensor window, int? winLength = null,
        bool center = true, PaddingModes padMode = PaddingModes.Reflect)
    {
        ArgumentNullException.ThrowIfNull(waveform);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nFft);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopLength);
        if (waveform.dim() < 1) throw new ArgumentException("waveform must be (..., time); got a scalar.", nameof(waveform));
        using var scope = NewDisposeScope();
        long[] shape = waveform.shape;
        var batch = waveform.reshape(-1, shape[^1]);                                                        // (..., T) -> (N, T)
        var spectrum = batch.stft(nFft, hopLength, winLength ?? nFft, window, center, padMode,
            normalized: false, onesided: true, return_complex: true);                                       // (N, F, frames)
        long[] outputShape = [.. shape[..^1], spectrum.shape[1], spectrum.shape[2]];
        return spectrum.reshape(outputShape).MoveToOuterDisposeScope();                                    // (..., F, frames)
    }

    /// <summary>BigVGAN's magnitude of a complex spectrum: sqrt(re^2 + im^2 + <paramref name="epsilon"/>), real, same shape.</summary>
    /// <param name="spectrum">Complex spectrum of any shape.</param>
    /// <param name="epsilon">Added under the square root so that the gradient stays finite at zero.</param>
    public static Tensor StableMagnitude(Tensor spectrum, double epsilon = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        using var scope = NewDisposeScope();
        var result = (torch.view_as_real(spectrum).pow(2).sum(-1) + epsilon).sqrt();                       // (..., 2) -> (...)
        return result.MoveToOuterDisposeScope();
    }
}
