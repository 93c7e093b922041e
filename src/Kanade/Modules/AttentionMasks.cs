using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Kanade.Modules;

/// <summary>
/// Attention masks for local-window, causal and padded attention. Band masks are built once per (length, window,
/// causal, dtype, device) and reused by every layer and call instead of materialising a fresh T x T mask each time.
/// </summary>
public static class AttentionMasks
{
    const int MaxCached = 64; // bulk runs see many lengths; a mask is cheap to rebuild, memory is not free
    static readonly ConcurrentDictionary<(long, int?, bool, ScalarType?, string), Tensor> cache = new();

    /// <summary>
    /// Boolean (T, T) mask, true = may attend: |i - j| &lt;= window/2 when <paramref name="window"/> is set, j &lt;= i
    /// when causal; null when neither.
    /// </summary>
    public static Tensor? Band(long length, int? window, bool causal, Device device) =>
        window is null && !causal ? null : Cached((length, window, causal, null, device.ToString()), () =>
        {
            var mask = ones(length, length, ScalarType.Bool, device);
            if (causal) mask = mask.tril();
            if (window is int w)
            {
                int perSide = w / 2;
                mask = mask.triu(-perSide).tril(perSide);
            }
            return mask;
        });

    /// <summary>
    /// Combines the band mask with per-item key validity (B, T) into a boolean (B, 1, T, T) mask. Every query keeps
    /// its own position, so rows of padded queries never become empty (an empty row would turn into NaN and spread).
    /// </summary>
    public static Tensor? Combine(Tensor? band, Tensor? validKeys, long length, Device device)
    {
        if (validKeys is null) return band;
        using var scope = NewDisposeScope();
        var keys = validKeys.view(validKeys.shape[0], 1, 1, length); // (B, T) -> (B, 1, 1, T)
        // A window of 0 keeps only i == j: the identity, cached like any band instead of built on every call.
        var diagonal = Band(length, window: 0, causal: false, device)!;
        var mask = keys | diagonal;
        if (band is not null) mask = mask & band;
        return mask.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mask of <see cref="Combine"/> as SDPA's additive form in <paramref name="dtype"/> (0 where attending,
    /// -inf elsewhere), which is what SDPA turns a boolean mask into on every call: converted once per forward pass
    /// (cached when no item is padded) instead of once per layer. Null when nothing is masked.
    /// </summary>
    public static Tensor? Additive(long length, int? window, bool causal, Tensor? validKeys, ScalarType dtype, Device device)
    {
        if (validKeys is null)
            return window is null && !causal ? null
                : Cached((length, window, causal, dtype, device.ToString()), () => ToAdditive(Band(length, window, causal, device)!, dtype));
        using var scope = NewDisposeScope();
        return ToAdditive(Combine(Band(length, window, causal, device), validKeys, length, device)!, dtype).MoveToOuterDisposeScope();
    }

    static Tensor ToAdditive(Tensor allowed, ScalarType dtype) =>
        zeros(allowed.shape, dtype, allowed.device).masked_fill_(allowed.logical_not(), double.NegativeInfinity);

    static Tensor Cached((long, int?, bool, ScalarType?, string) key, Func<Tensor> build)
    {
        if (cache.Count > MaxCached) cache.Clear(); // entries still in use stay alive through their holders
        return cache.GetOrAdd(key, _ =>
        {
            // Built outside inference mode even when an inference call asks first: training reuses the entry, and
            // autograd cannot save an inference tensor for backward.
            using var normal = inference_mode(false);
            using var scope = NewDisposeScope();
            return build().MoveToOuterDisposeScope().DetachFromDisposeScope();
        });
    }
}
