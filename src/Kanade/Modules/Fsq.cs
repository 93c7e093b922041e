// Port of kanade-tokenizer module/fsq.py FSQ (MIT; Finite Scalar Quantization, arXiv:2309.15505).
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Modules;

/// <summary>
/// Finite scalar quantization: each dimension is bounded with tanh and rounded to one of its levels; the codes
/// of all dimensions form one integer index (mixed radix with the levels as digits).
/// </summary>
public sealed class Fsq : nn.Module<Tensor, (Tensor Codes, Tensor Indices)>
{
    /// <summary>Levels per dimension.</summary>
    public IReadOnlyList<int> Levels { get; }
    /// <summary>Number of distinct indices (the product of the levels).</summary>
    public long CodebookSize { get; }

    /// <summary>Creates the quantizer.</summary>
    public Fsq(IReadOnlyList<int> levels) : base("FSQ")
    {
        if (levels.Count == 0 || levels.Any(l => l < 2))
            throw new ArgumentException($"FSQ levels must be a non-empty list of integers >= 2, got [{string.Join(", ", levels)}].", nameof(levels));
        Levels = levels;
        CodebookSize = levels.Aggregate(1L, (a, b) => a * b);
        long[] radix = new long[levels.Count];
        radix[0] = 1;
        for (int i = 1; i < levels.Count; i++) radix[i] = radix[i - 1] * levels[i - 1];
        // Derived from the levels, never stored in checkpoints: non-persistent buffers (they follow .to(device)).
        // Not fields: RegisterComponents would register tensor fields as persistent buffers.
        register_buffer("_levels", torch.tensor(levels.Select(l => (long)l).ToArray()), persistent: false);
        register_buffer("_basis", torch.tensor(radix), persistent: false);
    }

    Tensor Levels_ => get_buffer("_levels")!;
    Tensor Basis => get_buffer("_basis")!;

    /// <summary>Bounds z (..., d) so that rounding lands on the levels.</summary>
    public Tensor Bound(Tensor z, double eps = 1e-3)
    {
        using var scope = NewDisposeScope();
        var halfLevel = (Levels_ - 1) * (1 - eps) / 2;
        var offset = torch.where(Levels_ % 2 == 0, 0.5, 0.0).to(halfLevel.dtype);
        var shift = (offset / halfLevel).tan();
        return ((z + shift).tanh() * halfLevel - offset).MoveToOuterDisposeScope();
    }

    /// <summary>Quantizes z (..., d) to codes in [-1, 1] with a straight-through gradient.</summary>
    public Tensor Quantize(Tensor z)
    {
        using var scope = NewDisposeScope();
        var bounded = Bound(z);
        var rounded = bounded + (bounded.round() - bounded).detach();
        var halfWidth = Levels_.div(2, RoundingMode.floor);
        // The bound runs in float32 (the level buffers promote it); the codes (k / half-width, exact in bfloat16) return
        // in z's dtype so a bfloat16 model stays bfloat16.
        return (rounded / halfWidth).to(z.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Codes (..., d) -> indices (...) (int64), through float64 as the reference does.</summary>
    public Tensor CodesToIndices(Tensor codes)
    {
        using var scope = NewDisposeScope();
        if (codes.shape[^1] != Levels.Count)
            throw new ArgumentException($"FSQ codes need a last dimension of {Levels.Count}, got {codes.shape[^1]}.", nameof(codes));
        var halfWidth = Levels_.div(2, RoundingMode.floor);
        var shifted = codes * halfWidth + halfWidth;
        return (shifted * Basis.to(ScalarType.Float64)).to(ScalarType.Int64).sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Indices (...) -> codes (..., d) in [-1, 1].</summary>
    public Tensor IndicesToCodes(Tensor indices)
    {
        using var scope = NewDisposeScope();
        var digits = indices.unsqueeze(-1).div(Basis, RoundingMode.floor).remainder(Levels_);
        var halfWidth = Levels_.div(2, RoundingMode.floor);
        return ((digits - halfWidth) / halfWidth).MoveToOuterDisposeScope();
    }

    /// <summary>z (..., d) -> (codes (..., d), indices (...)).</summary>
    public override (Tensor Codes, Tensor Indices) forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var codes = Quantize(z);
        var indices = CodesToIndices(codes);
        return (codes.MoveToOuterDisposeScope(), indices.MoveToOuterDisposeScope());
    }
}
