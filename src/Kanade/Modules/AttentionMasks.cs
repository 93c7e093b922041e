using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Kanade.Modules;

/// <summary>
/// Boolean attention masks (true = may attend), built once per (length, window, causal, device) and reused by every
/// layer and call instead of materialising a fresh T x T mask each time.
/// </summary>
public static class AttentionMasks
{
    const int MaxCached = 64; // bulk runs see many lengths; a mask is cheap to rebuild, memory is not free
    static readonly ConcurrentDictionary<(long, int?, bool, string), Tensor> cache = new();

    /// <summary>(T, T) mask: |i - j| &lt;= window/2 when <paramref name="window"/> is set, j &lt;= i when causal; null when neither.</summary>
    public static Tensor? Band(long length, int? window, bool causal, Device device)
    {
        if (window is null && !causal) return null;
        if (cache.Count > MaxCached) cache.Clear(); // entries still in use stay alive through their holders
        return cache.GetOrAdd((length, window, causal, device.ToString()), _ =>
        {
            using var scope = NewDisposeScope();
            var mask = ones(length, length, ScalarType.Bool, device);
            if (causal) mask = mask.tril();
            if (window is int w)
            {
                int perSide = w / 2;
                mask = mask.triu(-perSide).tril(perSide);
            }
            return mask.MoveToOuterDisposeScope().DetachFromDisposeScope();
        });
    }

    /// <summary>
    /// Combines the band mask with per-item key validity (B, T) into a (B, 1, T, T) mask. Every query keeps its own
    /// position, so rows of padded queries never become empty (an empty row would turn into NaN and spread).
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
}
