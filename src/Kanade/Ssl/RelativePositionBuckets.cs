// Port of torchaudio models/wav2vec2/wavlm_attention.py _relative_positions_bucket (MIT, Microsoft), bidirectional.
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// WavLM's bucket of every relative position (key - query), kept as one vector over -(T-1)..(T-1) on the
/// model's device: it depends on the sequence length only, so it is computed once and reused (and grown when a
/// longer sequence comes). The bias values themselves are gathered from the embedding on each call, because
/// the embedding can be loaded or trained after the table was built.
/// </summary>
sealed class RelativePositionBuckets(int numBuckets, int maxDistance)
{
    readonly Lock gate = new();
    Tensor? table;          // (2 * maxFrames - 1,) int64, relative positions -(maxFrames-1)..(maxFrames-1)
    long maxFrames;

    /// <summary>Buckets of relative positions -(frames-1)..(frames-1) (int64, (2 frames - 1,)) on <paramref name="device"/>; a view into the cache.</summary>
    public Tensor ForLength(long frames, Device device)
    {
        lock (gate)
        {
            bool sameDevice = table is not null && table.device.type == device.type && table.device.index == device.index;
            if (!sameDevice || frames > maxFrames)
            {
                table?.Dispose();
                table = Compute(frames, device);
                maxFrames = frames;
            }
            return table!.narrow(0, maxFrames - frames, 2 * frames - 1);
        }
    }

    Tensor Compute(long frames, Device device)
    {
        using var scope = NewDisposeScope();
        var relative = arange(-(frames - 1), frames, dtype: ScalarType.Int64, device: device);
        int half = numBuckets / 2;                 // one half per direction
        int maxExact = half / 2;                   // distances below this get their own bucket
        var buckets = relative.gt(0).to(ScalarType.Int64) * half;
        var distance = relative.abs();
        var isSmall = distance.lt(maxExact);
        // Same float32 ops as the reference, so that the truncation lands on the same bucket. Distances below
        // maxExact are clamped only to keep log away from zero; they take the exact branch anyway.
        var large = distance.clamp_min(maxExact).to(ScalarType.Float32).div(maxExact).log()
            .div(Math.Log((double)maxDistance / maxExact)).mul(half - maxExact).to(ScalarType.Int64) + maxExact;
        large = large.clamp_max(half - 1);
        buckets = buckets + where(isSmall, distance, large);
        return buckets.DetachFromDisposeScope();
    }
}
