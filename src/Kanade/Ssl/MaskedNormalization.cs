// Normalisations over the valid part of padded batches, so that a batch item equals the same item run alone.
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// Statistics over valid positions only. torchaudio (like fairseq) takes the first extractor GroupNorm's and the
/// waveform LayerNorm's statistics over the padded length too, so a padded batch item differs from the item run
/// alone; these keep padding out of the statistics. With every position valid they equal the plain norms.
/// </summary>
static class MaskedNormalization
{
    /// <summary>(B, T, C) -> (B, T, 1): 1 where the frame is below the item's length, else 0, in <paramref name="like"/>'s dtype.</summary>
    public static Tensor ValidFrames(Tensor like, Tensor lengths)
    {
        var positions = arange(like.shape[1], dtype: ScalarType.Int64, device: like.device);
        return positions.unsqueeze(0).lt(lengths.unsqueeze(1)).unsqueeze(-1).to(like.dtype);  // (B, T) -> (B, T, 1)
    }

    /// <summary>
    /// Valid frames per item as (B, 1, 1) in <paramref name="dtype"/>, at least 1 (the divisor of a mean over time);
    /// (1, 1, 1) holding <paramref name="time"/> when <paramref name="lengths"/> is null.
    /// </summary>
    public static Tensor FrameCount(Tensor? lengths, long time, ScalarType dtype, Device device) => lengths is null
        ? full(1, 1, 1, (double)time, dtype, device)
        : lengths.clamp_min(1).to(dtype).view(-1, 1, 1);

    /// <summary>
    /// GroupNorm with one group per channel, over time: (B, T, C) -> (B, T, C), each channel of each item normalised
    /// over the item's first <paramref name="lengths"/> frames (every frame when null), then scaled and shifted by the
    /// per-channel <paramref name="weight"/> and <paramref name="bias"/> when given. Padded frames come out finite but
    /// meaningless.
    /// </summary>
    /// <param name="x">(B, T, C) activations.</param>
    /// <param name="lengths">Valid frames per item (B,), int64, or null when every frame is valid.</param>
    /// <param name="weight">Per-channel scale (C,), or null.</param>
    /// <param name="bias">Per-channel shift (C,), or null.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <remarks>
    /// On the CPU this runs on the first extractor layer's output of padded batches (CUDA folds that norm into the
    /// convolution: <see cref="NormalizedWaveformConvolution"/>), the largest activation of the model (B x 3,200
    /// frames a second x 512), so it is memory-bound: six full-size reads and writes (a float32 sum, the centring, a
    /// norm, the affine apply), against ten for masking, centring and squaring separately and three for GroupNorm's
    /// own kernel, which cannot leave padding out. Sums accumulate in float32. In bf16 the centring uses the mean rounded to bf16, and the
    /// variance and shift are corrected in float32 for that rounding; the spread's norm comes back in bf16 (2^-9 relative).
    /// </remarks>
    public static Tensor TimeGroupNorm(Tensor x, Tensor? lengths, Tensor? weight, Tensor? bias, double eps)
    {
        using var scope = NewDisposeScope();
        var valid = lengths is null ? null : ValidFrames(x, lengths);                         // (B, T, 1), x's dtype
        if (valid is not null) x = x.masked_fill(valid.eq(0), 0.0);
        var count = FrameCount(lengths, x.shape[1], ScalarType.Float32, x.device);              // (B, 1, 1)
        var mean = x.sum(1, keepdim: true, type: ScalarType.Float32) / count;                  // (B, 1, C)
        var rounded = mean.to(x.dtype);
        var delta = mean - rounded.to(ScalarType.Float32);                                       // 0 in float32
        var centered = valid is null ? x - rounded : x.addcmul(rounded, valid, -1);            // padded frames: exactly 0
        var spread = linalg.vector_norm(centered, 2, [1], keepdim: true).to(ScalarType.Float32).square() / count;
        var variance = (spread - delta.square()).clamp_min(0);                                   // biased, as GroupNorm
        var scale = (variance + eps).rsqrt();                                                    // (B, 1, C)
        if (weight is not null) scale = scale * weight.to(ScalarType.Float32);
        var shift = -delta * scale;
        if (bias is not null) shift = shift + bias.to(ScalarType.Float32);
        return shift.to(x.dtype).addcmul(centered, scale.to(x.dtype), 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Each waveform (B, T) normalised to zero mean and unit variance over its first <paramref name="lengths"/>
    /// samples (all samples when null), eps 1e-5: torchaudio's input LayerNorm of the large bundles, per item.
    /// </summary>
    public static Tensor WaveformLayerNorm(Tensor waveforms, Tensor? lengths)
    {
        using var scope = NewDisposeScope();
        if (lengths is null)
            return nn.functional.layer_norm(waveforms, [waveforms.shape[^1]], null, null, 1e-5).MoveToOuterDisposeScope();
        // One "channel" per waveform: the same statistics as the extractor's GroupNorm, without an affine part.
        return TimeGroupNorm(waveforms.unsqueeze(-1), lengths, null, null, 1e-5).squeeze(-1).MoveToOuterDisposeScope();
    }
}
