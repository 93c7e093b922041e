// The first layer of torchaudio's FeatureExtractor (Conv1d without bias, then GroupNorm with one group per channel,
// BSD-2-Clause) computed as one matrix product whose weights already hold the norm.
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// Conv1d of a waveform (one input channel, no bias) followed by GroupNorm over time, one group per channel, as a
/// single product: the convolution is linear in the K-sample windows, so each channel's mean and variance over time
/// follow from the windows' mean (K,) and covariance (K, K), and the norm becomes per-item taps and a per-item shift.
/// </summary>
/// <remarks>
/// The first layer's output is the largest activation of the model (B x 3,200 frames a second x 512 channels). A
/// separate norm reads and writes it six times more (<see cref="MaskedNormalization.TimeGroupNorm"/>); here it is
/// written once, and the statistics come from the waveform's windows, which are 512 / 10 times smaller, in float64.
/// The result equals convolution then norm in exact arithmetic; in floating point its inputs carry about 16
/// significant bits in any compute dtype and only the output is rounded to bf16, so it is more accurate than the
/// reference's order (convolution rounded, then norm) in bf16.
/// </remarks>
static class NormalizedWaveformConvolution
{
    /// <summary>(B, T, 1) waveform -> (B, T', C), normalised over each item's first <paramref name="frames"/> output frames (all when null).</summary>
    /// <param name="x">(B, T, 1) samples.</param>
    /// <param name="weight">(C, 1, K) convolution kernel.</param>
    /// <param name="stride">Convolution stride.</param>
    /// <param name="frames">Valid output frames per item (B,), int64, or null when all are valid. Padded frames come out finite but meaningless.</param>
    /// <param name="normWeight">GroupNorm scale (C,), or null.</param>
    /// <param name="normBias">GroupNorm shift (C,), or null.</param>
    /// <param name="eps">Added to the variance.</param>
    public static Tensor Apply(Tensor x, Tensor weight, int stride, Tensor? frames, Tensor? normWeight, Tensor? normBias, double eps)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], channels = weight.shape[0];
        int kernel = (int)weight.shape[2];
        var windows = x.reshape(batch, x.shape[1]).unfold(1, kernel, stride);               // (B, T) -> (B, T', K), a view

        // Window statistics over the valid frames, centred before the products so that a DC offset cannot cancel.
        var samples = windows.to(ScalarType.Float64);
        var valid = frames is null ? null : MaskedNormalization.ValidFrames(samples, frames);   // (B, T', 1)
        var count = MaskedNormalization.FrameCount(frames, samples.shape[1], ScalarType.Float64, x.device);   // (B, 1, 1)
        var meanWindow = (valid is null ? samples : samples * valid).sum(1, keepdim: true) / count;   // (B, 1, K)
        var centred = samples - meanWindow;
        if (valid is not null) centred = centred * valid;
        var covariance = centred.transpose(1, 2).bmm(centred) / count;                          // (B, K, T') x (B, T', K) -> (B, K, K)

        var taps = weight.view(channels, kernel).to(ScalarType.Float64);                         // (C, 1, K) -> (C, K)
        var variance = (taps.matmul(covariance) * taps).sum(-1).unsqueeze(1);                    // (B, C, K) -> (B, 1, C)
        var scale = (variance.clamp_min(0) + eps).rsqrt();                                       // (B, 1, C)
        if (normWeight is not null) scale = scale * normWeight.to(ScalarType.Float64);

        // The centred windows carry no mean, so the product needs only the norm's own shift and a DC offset costs no
        // precision. Windows and scaled taps each go in as a bf16-exact high part plus a low remainder, all four
        // cross products in one: where a channel's taps nearly cancel over a window, rounding the scaled taps once to
        // bf16 or TF32 would be magnified by 1 / sigma. K is 10, so 4K costs nothing against the output write. The
        // shift rides in the same product (high and low parts against two columns of ones, padded to 8 for the
        // tensor cores): adding it in the product's epilogue instead first copies it over the whole output, the
        // model's largest activation (1.5 ms of a 64 x 9 s batch on an H200 in bf16).
        long outputFrames = windows.shape[1];
        int extra = normBias is null ? 0 : ShiftColumns;
        var inputs = empty(batch, outputFrames, 4 * kernel + extra, x.dtype, x.device);             // (B, T', 4K [+ 8])
        var (windowsHigh, windowsLow) = Split(centred, x.dtype);                                 // (B, T', K) each
        inputs.narrow(2, 0, kernel).copy_(windowsHigh);
        inputs.narrow(2, kernel, kernel).copy_(windowsLow);
        inputs.narrow(2, 2 * kernel, 2 * kernel).copy_(inputs.narrow(2, 0, 2 * kernel));      // high, low, high, low
        var (tapsHigh, tapsLow) = Split(taps.t().unsqueeze(0) * scale, x.dtype);                 // (K, C) x (B, 1, C) -> (B, K, C) each
        Tensor[] rows = [tapsHigh, tapsHigh, tapsLow, tapsLow];
        if (normBias is not null)
        {
            var shift = inputs.narrow(2, 4 * kernel, extra);
            shift.zero_();
            shift.narrow(2, 0, 2).fill_(1);
            var (shiftHigh, shiftLow) = Split(normBias.to(ScalarType.Float64).view(1, 1, channels), x.dtype);
            rows = [.. rows, shiftHigh.expand(batch, 1, channels), shiftLow.expand(batch, 1, channels),
                    zeros(batch, extra - 2, channels, x.dtype, x.device)];
        }
        var output = inputs.bmm(cat(rows, 1));                                                   // (B, T', 4K [+ 8]) x (B, 4K [+ 8], C)
        return output.MoveToOuterDisposeScope();                                                 // (B, T', C)
    }

    /// <summary>Columns that carry the norm's shift into the product: its high and low parts, then zeros to a multiple of 8.</summary>
    const int ShiftColumns = 8;

    /// <summary>Float64 values as high + low parts in <paramref name="dtype"/>: the high part exact in bf16 (so in TF32 too), the low part what remains.</summary>
    static (Tensor High, Tensor Low) Split(Tensor values, ScalarType dtype)
    {
        var high = values.to(ScalarType.BFloat16).to(ScalarType.Float64);
        return (high.to(dtype), (values - high).to(dtype));
    }
}
