using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// The keys attention must ignore in a padded batch. Always torchaudio's additive bias (B, 1, 1, T): 0 on valid
/// frames, <see cref="PaddedKeyBias"/> on padded ones. When each item's valid frames are known on the host, also every
/// padded (item, frame) pair as index tensors on the device, so that a layer that builds its own (B, H, T, T) bias can
/// write the mask into it (<see cref="MaskKeys"/>: H T values per padded pair) instead of adding the padding bias in a
/// pass over all B H T T.
/// </summary>
sealed class KeyPadding
{
    /// <summary>torchaudio's additive mask value for padded keys; exp of it underflows to exactly 0 in float32.</summary>
    public const double PaddedKeyBias = -10000.0;

    readonly Tensor? paddedItems, paddedFrames, maskValue;

    KeyPadding(Tensor isPadding, Tensor bias, Tensor? paddedItems, Tensor? paddedFrames, Tensor? maskValue)
    {
        IsPadding = isPadding;
        Bias = bias;
        this.paddedItems = paddedItems;
        this.paddedFrames = paddedFrames;
        this.maskValue = maskValue;
    }

    /// <summary>(B, T) boolean, true on padded frames.</summary>
    public Tensor IsPadding { get; }

    /// <summary>The additive key bias (B, 1, 1, T), broadcast over heads and queries.</summary>
    public Tensor Bias { get; }

    /// <summary>Whether <see cref="MaskKeys"/> can run: the valid frames were known on the host.</summary>
    public bool CanMaskKeys => paddedItems is not null;

    /// <summary>
    /// Padding for a batch of <paramref name="frames"/> frames whose items have <paramref name="lengths"/> valid frames
    /// (B,) on the device, in <paramref name="dtype"/>; <paramref name="hostLengths"/>, the same counts on the host
    /// (null when unknown), enable <see cref="MaskKeys"/>. Nothing is read back from the device.
    /// </summary>
    public static KeyPadding Create(Tensor lengths, long frames, ScalarType dtype, long[]? hostLengths)
    {
        long batch = lengths.shape[0];
        var positions = arange(frames, dtype: ScalarType.Int64, device: lengths.device);
        var isPadding = positions.unsqueeze(0).ge(lengths.unsqueeze(1));                            // (B, T)
        var bias = isPadding.to(dtype).mul(PaddedKeyBias).view(batch, 1, 1, frames);
        if (hostLengths is null) return new KeyPadding(isPadding, bias, null, null, null);
        var items = new List<long>();
        var keys = new List<long>();
        for (int item = 0; item < hostLengths.Length; item++)
            for (long key = Math.Clamp(hostLengths[item], 0, frames); key < frames; key++)
            {
                items.Add(item);
                keys.Add(key);
            }
        var device = lengths.device;
        return new KeyPadding(isPadding, bias, HostValues.ToDevice([.. items], device), HostValues.ToDevice([.. keys], device),
                              full([], PaddedKeyBias, dtype, device));
    }

    /// <summary>
    /// Sets every padded key's scores in <paramref name="bias"/> (B, H, T, T), in place, to <see cref="PaddedKeyBias"/>:
    /// their attention weight is then exactly 0, as with the additive bias (which torchaudio adds to the position bias,
    /// so a padded key's score differs; its weight does not).
    /// </summary>
    /// <exception cref="InvalidOperationException">The valid frames were not known on the host (<see cref="CanMaskKeys"/>).</exception>
    public void MaskKeys(Tensor bias)
    {
        if (paddedItems is null) throw new InvalidOperationException("MaskKeys needs the valid frames on the host (KeyPadding.Create with hostLengths).");
        if (paddedItems.shape[0] == 0) return;
        bias.permute(0, 3, 1, 2).index_put_(maskValue!, paddedItems, paddedFrames!);   // (B, T_k, H, T_q) rows (item, key)
    }
}
