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
    /// <summary>(B, T) or (B, C, T) -> 1 where the last-axis position is below the item's length, else 0, as <paramref name="like"/>'s dtype.</summary>
    public static Tensor ValidMask(Tensor like, Tensor lengths)
    {
        long frames = like.shape[^1];
        var positions = arange(frames, dtype: ScalarType.Int64, device: like.device);
        var valid = positions.unsqueeze(0).lt(lengths.unsqueeze(1));                      // (B, T)
        return (like.dim() == 3 ? valid.unsqueeze(1) : valid).to(like.dtype);            // (B, T) -> (B, 1, T)
    }

    /// <summary>
    /// GroupNorm with one group per channel over the first <paramref name="lengths"/> frames of each item:
    /// (B, C, T) -> (B, C, T). Padded frames come out finite but meaningless.
    /// </summary>
    /// <remarks>
    /// This runs on the first extractor layer's output, the largest activation of the model (B x 512 x 3,200 frames a
    /// second), so it is memory-bound: five full-size passes (ten reads and writes) instead of nine (sixteen).
    /// Statistics accumulate in float32, like GroupNorm's own kernel for bf16 input. In bf16 the centring uses the
    /// mean rounded to bf16 and the variance and shift are corrected for that rounding in float32, so the only bf16
    /// roundings are those of the stored tensors.
    /// </remarks>
    public static Tensor ChannelGroupNorm(Tensor x, Tensor lengths, Tensor weight, Tensor bias, double eps)
    {
        using var scope = NewDisposeScope();
        var valid = ValidMask(x, lengths);                                                // (B, 1, T), x's dtype
        var zeroed = x.masked_fill(valid.logical_not(), 0.0);
        var count = lengths.clamp_min(1).to(ScalarType.Float32).view(-1, 1, 1);           // (B, 1, 1)
        var mean = zeroed.sum(-1, keepdim: true, type: ScalarType.Float32) / count;       // (B, C, 1)
        var rounded = mean.to(x.dtype);
        var delta = mean - rounded.to(ScalarType.Float32);                                  // 0 in float32
        var centered = zeroed.addcmul(rounded, valid, -1);                                 // padded frames: exactly 0
        var spread = centered.square().sum(-1, keepdim: true, type: ScalarType.Float32) / count; // E[(x - rounded)^2]
        var variance = (spread - delta.square()).clamp_min(0);                              // biased, as GroupNorm
        var scale = (variance + eps).rsqrt() * weight.to(ScalarType.Float32).view(1, -1, 1); // (B, C, 1)
        var shift = bias.to(ScalarType.Float32).view(1, -1, 1) - delta * scale;
        var y = shift.to(x.dtype).addcmul(centered, scale.to(x.dtype), 1);
        return y.MoveToOuterDisposeScope();
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
        var one = ones(1, dtype: waveforms.dtype, device: waveforms.device);
        return ChannelGroupNorm(waveforms.unsqueeze(1), lengths, one, zeros_like(one), 1e-5).squeeze(1).MoveToOuterDisposeScope();
    }
}
