using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// The keys attention must ignore in a padded batch, built from each item's valid frames on the host: torchaudio's
/// additive bias (B, 1, 1, T), 0 on valid frames and <see cref="PaddedKeyBias"/> on padded ones, and every padded
/// (item, frame) pair as an index on the device, so that WavLM's rank-one bias can have the mask written into it
/// (<see cref="MaskKeys"/>: H T values per padded pair) instead of the padding bias added in a pass over all B H T T.
/// </summary>
sealed class KeyPadding
{
    /// <summary>torchaudio's additive mask value for padded keys; exp of it underflows to exactly 0 in float32.</summary>
    public const double PaddedKeyBias = -10000.0;

    /// <summary>item T + frame of every padded (item, frame) pair, item by item: columns of a (rows, B T) view.</summary>
    readonly Tensor paddedPairs;

    KeyPadding(Tensor isPadding, Tensor bias, Tensor paddedPairs)
    {
        IsPadding = isPadding;
        Bias = bias;
        this.paddedPairs = paddedPairs;
    }

    /// <summary>(B, T) boolean, true on padded frames.</summary>
    public Tensor IsPadding { get; }

    /// <summary>The additive key bias (B, 1, 1, T), broadcast over heads and queries.</summary>
    public Tensor Bias { get; }

    /// <summary>
    /// Padding for a batch of <paramref name="frames"/> frames whose items have <paramref name="validFrames"/> valid
    /// frames (B,), in <paramref name="dtype"/> on <paramref name="device"/>. Nothing is read back from the device.
    /// </summary>
    public static KeyPadding Create(long[] validFrames, long frames, ScalarType dtype, Device device)
    {
        long batch = validFrames.Length;
        var isPadding = new bool[batch * frames];
        var pairs = new List<long>();
        for (int item = 0; item < batch; item++)
            for (long key = Math.Clamp(validFrames[item], 0, frames); key < frames; key++)
            {
                isPadding[item * frames + key] = true;
                pairs.Add(item * frames + key);
            }
        var mask = HostValues.ToDevice(tensor(isPadding).view(batch, frames), device);                  // (B, T)
        var bias = mask.to(dtype).mul(PaddedKeyBias).view(batch, 1, 1, frames);
        return new KeyPadding(mask, bias, HostValues.ToDevice([.. pairs], device));
    }

    /// <summary>
    /// Sets every padded key's scores in <paramref name="bias"/> (B, H, T, T), in place, to <see cref="PaddedKeyBias"/>:
    /// their attention weight is then exactly 0, as with the additive bias (which torchaudio adds to the position bias,
    /// so a padded key's score differs; its weight does not). The bias must be a view of (H, T, B, T) storage, as WavLM's
    /// rank-one product writes it: there the padded pairs are columns of one (H T, B T) matrix, filled by one
    /// <c>index_fill_</c> that writes each item's padded keys contiguously. On an H200, 64 x 12 heads, bf16: 0.03 ms at
    /// 504 frames with 2.4% of the pairs padded, 0.37 ms at 752 frames with 33% (a masked fill of the whole bias: 0.53
    /// and 1.24 ms; <c>index_put_</c> over (item, key) first, which writes each pair's H T values a row apart: 0.09 and
    /// 2.27 ms).
    /// </summary>
    /// <exception cref="InvalidOperationException">The bias is not laid out (H, T, B, T).</exception>
    public void MaskKeys(Tensor bias)
    {
        var storage = bias.permute(1, 2, 0, 3);                                          // (H, T, B, T)
        if (!storage.is_contiguous())
            throw new InvalidOperationException(
                $"MaskKeys needs the bias (B, H, T, T) as a view of (H, T, B, T) storage; its strides are [{string.Join(", ", bias.stride())}].");
        if (paddedPairs.shape[0] == 0) return;
        storage.view(storage.shape[0] * storage.shape[1], -1).index_fill_(1, paddedPairs, PaddedKeyBias);
    }
}
