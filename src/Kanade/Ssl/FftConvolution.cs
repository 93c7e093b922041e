// A grouped Conv1d (PyTorch's cross-correlation with zero padding) through the FFT, for WavLM's positional convolution.
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// <c>F.conv1d(x, weight, bias, padding: P, groups: G)</c> computed as products of spectra in float32 (complex64): each
/// group's channel mixing is one small complex matrix product per frequency. For WavLM's positional convolution
/// (kernel 128, 16 groups of 48 channels) this is about a hundredth of the direct convolution's arithmetic, and its
/// rounding (about 1e-6 relative, float32 transforms) is finer than TF32's or bf16's.
/// </summary>
static class FftConvolution
{
    /// <summary>(B, C_in, T) -> (B, C_out, T + 2P - K + 1), in <paramref name="x"/>'s dtype.</summary>
    /// <param name="x">(B, C_in, T) input.</param>
    /// <param name="weight">(C_out, C_in / G, K) kernel.</param>
    /// <param name="bias">(C_out,) or null.</param>
    /// <param name="padding">Zeros on both sides, P &lt; K.</param>
    /// <param name="groups">Convolution groups G.</param>
    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias, long padding, long groups)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], time = x.shape[2];
        long outChannels = weight.shape[0], groupIn = weight.shape[1], kernel = weight.shape[2], groupOut = outChannels / groups;
        if (x.shape[1] != groupIn * groups || outChannels % groups != 0)
            throw new ArgumentException($"Convolution of {x.shape[1]} channels in {groups} groups with a weight of shape ({outChannels}, {groupIn}, {kernel}): the channels do not match.", nameof(weight));
        if (padding < 0 || padding >= kernel)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Padding must be in [0, kernel size {kernel}).");
        long outLength = time + 2 * padding - kernel + 1;
        // Output t reads inputs t - P .. t - P + K - 1. With the taps rotated by P in a transform of n >= T + P points,
        // the circular correlation's first outLength values are those sums: every wrapped index lands on a zero.
        long n = FastLength(Math.Max(time + padding, kernel));
        var w = weight.to(ScalarType.Float32);
        var taps = cat([w.narrow(2, padding, kernel - padding), zeros(outChannels, groupIn, n - kernel, w.dtype, w.device), w.narrow(2, 0, padding)], 2);
        var spectrum = fft.rfft(x.to(ScalarType.Float32), n);                                   // (B, C_in, F) complex
        var filter = fft.rfft(taps, n).conj().resolve_conj();                                   // (C_out, C_in / G, F); correlation, not convolution
        long frequencies = spectrum.shape[2];
        var inputs = spectrum.view(batch, groups, groupIn, frequencies).permute(1, 3, 0, 2);    // (B, G, Ci, F) -> (G, F, B, Ci)
        var mixing = filter.view(groups, groupOut, groupIn, frequencies).permute(0, 3, 2, 1);   // (G, Co, Ci, F) -> (G, F, Ci, Co)
        var mixed = inputs.matmul(mixing)                                                       // (G, F, B, Co)
            .permute(2, 0, 3, 1).reshape(batch, outChannels, frequencies);                      // (G, F, B, Co) -> (B, C_out, F)
        var y = fft.irfft(mixed, n).narrow(2, 0, outLength);                                    // (B, C_out, outLength)
        if (bias is not null) y = y + bias.to(ScalarType.Float32).view(1, -1, 1);
        return y.to(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The smallest length >= <paramref name="minimum"/> whose prime factors are 2, 3, 5 and 7 (cuFFT's fast sizes).</summary>
    internal static long FastLength(long minimum)
    {
        for (long n = Math.Max(1, minimum); ; n++)
        {
            long rest = n;
            foreach (long p in (ReadOnlySpan<long>)[2, 3, 5, 7])
                while (rest % p == 0) rest /= p;
            if (rest == 1) return n;
        }
    }
}
