// Port of kanade-tokenizer module/transformer.py precompute_freqs_cis / apply_rotary_emb (MIT; after Llama 3).
using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Modules;

/// <summary>
/// Rotary position embedding with a complex frequency table. The table is not part of the checkpoint: it is
/// computed on demand per device and grown when a sequence outruns it (the reference recomputes it the same way).
/// </summary>
public sealed class RotaryEmbedding
{
    readonly int headDim;
    readonly double theta;
    readonly int initialLength;
    readonly ConcurrentDictionary<string, Tensor> tables = new();

    /// <summary>Creates the embedding for heads of width <paramref name="headDim"/>.</summary>
    /// <param name="headDim">Per-head width (even).</param>
    /// <param name="initialLength">Positions covered before the first growth (the reference uses 2 x max_seq_len).</param>
    /// <param name="theta">Frequency base.</param>
    public RotaryEmbedding(int headDim, int initialLength, double theta)
    {
        if (headDim % 2 != 0) throw new ArgumentException($"RoPE needs an even head width, got {headDim}.", nameof(headDim));
        this.headDim = headDim;
        this.initialLength = initialLength;
        this.theta = theta;
    }

    /// <summary>Complex64 table (length, headDim/2) on <paramref name="device"/> covering at least <paramref name="length"/> positions.</summary>
    public Tensor Table(long length, Device device)
    {
        string key = device.ToString();
        if (tables.TryGetValue(key, out var table) && table.shape[0] >= length) return table;
        long size = Math.Max(initialLength, table is null ? length : length * 4);
        var fresh = Compute(size).to(device).DetachFromDisposeScope();
        // The old table is left to the finalizer: another thread's forward may still be reading it.
        tables[key] = fresh;
        return fresh;
    }

    Tensor Compute(long length)
    {
        using var _ = NewDisposeScope();
        // Float32 throughout, in the reference's order, so angles agree bit for bit.
        var exponents = torch.arange(0, headDim, 2, dtype: ScalarType.Int64)[..(headDim / 2)].to(ScalarType.Float32) / headDim;
        var frequencies = 1.0f / torch.pow(torch.tensor((float)theta), exponents);
        var positions = torch.arange(length, dtype: ScalarType.Float32);
        var angles = torch.outer(positions, frequencies);
        return torch.polar(torch.ones_like(angles), angles).MoveToOuterDisposeScope();
    }

    /// <summary>Rotates queries or keys (B, T, H, headDim) by their positions 0..T-1.</summary>
    public Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], time = x.shape[1], heads = x.shape[2];
        var table = Table(time, x.device)[..(int)time].view(1, time, 1, headDim / 2);
        // (B, T, H, D) -> (B, T, H, D/2) complex pairs
        var pairs = torch.view_as_complex(x.to(ScalarType.Float32).reshape(batch, time, heads, headDim / 2, 2));
        var rotated = torch.view_as_real(pairs * table).flatten(3); // (B, T, H, D/2, 2) -> (B, T, H, D)
        return rotated.type_as(x).MoveToOuterDisposeScope();
    }
}
