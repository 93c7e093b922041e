// Port of Vocos spectral_ops.py ISTFT (MIT): torch.istft with centre padding, and Vocos' "same"-padded overlap-add.
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>Inverse short-time Fourier transforms of one-sided complex spectrograms, as the vocoders use them.</summary>
public static class Istft
{
    /// <summary>
    /// torch.istft with <c>center=True</c>: (B, n_fft/2+1, frames) complex -> (B, hop_length * (frames - 1)).
    /// </summary>
    /// <param name="spec">One-sided complex spectrogram (B, n_fft/2+1, frames).</param>
    /// <param name="nFft">FFT size.</param>
    /// <param name="hopLength">Samples between frames.</param>
    /// <param name="window">Synthesis window (win_length,), win_length &lt;= n_fft, on the spectrogram's device.</param>
    public static Tensor Center(Tensor spec, int nFft, int hopLength, Tensor window)
    {
        CheckSpectrogram(spec, nFft, hopLength, window);
        return spec.istft(nFft, hopLength, window.shape[0], window, center: true);
    }

    /// <summary>
    /// Vocos' "same" padding: inverse FFT of every frame, windowed overlap-add, divided by the summed squared window,
    /// with (win_length - hop_length) / 2 samples trimmed at each end:
    /// (B, n_fft/2+1, frames) complex -> (B, hop_length * (frames - 1) + win_length - 2 * pad).
    /// torch.istft cannot do this: its NOLA check fails at the untrimmed edges.
    /// </summary>
    /// <param name="spec">One-sided complex spectrogram (B, n_fft/2+1, frames).</param>
    /// <param name="nFft">FFT size.</param>
    /// <param name="hopLength">Samples between frames.</param>
    /// <param name="window">Synthesis window (n_fft,), on the spectrogram's device.</param>
    public static Tensor Same(Tensor spec, int nFft, int hopLength, Tensor window)
    {
        CheckSpectrogram(spec, nFft, hopLength, window);
        long windowLength = window.shape[0];
        if (windowLength != nFft)
            throw new ArgumentException($"'same' iSTFT needs a window of n_fft = {nFft} samples; got {windowLength}.", nameof(window));
        using var scope = NewDisposeScope();
        long frames = spec.shape[2];
        long pad = (windowLength - hopLength) / 2;
        long outputSize = (frames - 1) * hopLength + windowLength;

        // (B, n_fft/2+1, frames) complex -> (B, n_fft, frames) real, each frame windowed
        var segments = fft.irfft(spec, nFft, dim: 1) * window.view(1, -1, 1);
        // overlap-add: (B, n_fft, frames) -> (B, 1, 1, output) -> (B, output - 2 pad)
        var y = nn.functional.fold(segments, (1, outputSize), (1, windowLength), stride: (1, hopLength))
            .view(spec.shape[0], outputSize)
            .narrow(1, pad, outputSize - 2 * pad);

        // the same overlap-add of the squared window: (1, n_fft, frames) -> (output - 2 pad,)
        var squared = window.square().view(1, -1, 1).expand(1, windowLength, frames);
        var envelope = nn.functional.fold(squared, (1, outputSize), (1, windowLength), stride: (1, hopLength))
            .view(outputSize)
            .narrow(0, pad, outputSize - 2 * pad);
        if (envelope.le(1e-11).any().item<bool>())
            throw new ArgumentException(
                $"'same' iSTFT: the window overlap-adds to (near) zero inside the output (hop_length {hopLength}, window {windowLength}); "
                + "use a hop no longer than the window's non-zero span.", nameof(hopLength));
        return (y / envelope).MoveToOuterDisposeScope();
    }

    static void CheckSpectrogram(Tensor spec, int nFft, int hopLength, Tensor window)
    {
        if (nFft < 2) throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "n_fft must be at least 2.");
        if (hopLength < 1) throw new ArgumentOutOfRangeException(nameof(hopLength), hopLength, "hop_length must be positive.");
        if (!spec.is_complex())
            throw new ArgumentException($"iSTFT input must be complex; got {spec.dtype}.", nameof(spec));
        if (spec.dim() != 3 || spec.shape[1] != nFft / 2 + 1 || spec.shape[2] < 1)
            throw new ArgumentException(
                $"iSTFT input must be (B, n_fft/2+1 = {nFft / 2 + 1}, frames >= 1); got [{string.Join(", ", spec.shape)}].", nameof(spec));
        if (window.dim() != 1 || window.shape[0] > nFft || window.shape[0] < hopLength)
            throw new ArgumentException(
                $"iSTFT window must be 1-D with hop_length {hopLength} <= length <= n_fft {nFft}; got [{string.Join(", ", window.shape)}].", nameof(window));
    }
}
