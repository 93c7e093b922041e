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
        // Derived from the levels and never stored in checkpoints (the reference's non-persistent buffers).
        levelTensor = new DerivedTensor(torch.tensor(levels.Select(l => (long)l).ToArray()));
        basisTensor = new DerivedTensor(torch.tensor(radix));
    }

    readonly DerivedTensor levelTensor, basisTensor;

    /// <summary>Bounds z (..., d) so that rounding lands on the levels.</summary>
    public Tensor Bound(Tensor z, double eps = 1e-3)
    {
        using var scope = NewDisposeScope();
        var levels = levelTensor.On(z.device);
        var halfLevel = (levels - 1) * (1 - eps) / 2;
        var offset = torch.where(levels % 2 == 0, 0.5, 0.0).to(halfLevel.dtype);
        var shift = (offset / halfLevel).tan();
        return ((z + shift).tanh() * halfLevel - offset).MoveToOuterDisposeScope();
    }

    /// <summary>Quantizes z (..., d) to codes in [-1, 1] with a straight-through gradient.</summary>
    public Tensor Quantize(Tensor z)
    {
        using var scope = NewDisposeScope();
        var bounded = Bound(z);
        var rounded = bounded + (bounded.round() - bounded).detach();
        var halfWidth = levelTensor.On(z.device).div(2, RoundingMode.floor);
        return (rounded / halfWidth).MoveToOuterDisposeScope();
    }

    /// <summary>Codes (..., d) -> indices (...) (int64), through float64 as the reference does.</summary>
    public Tensor CodesToIndices(Tensor codes)
    {
        using var scope = NewDisposeScope();
        if (codes.shape[^1] != Levels.Count)
            throw new ArgumentException($"FSQ codes need a last dimension of {Levels.Count}, got {codes.shape[^1]}.", nameof(codes));
        var halfWidth = levelTensor.On(codes.device).div(2, RoundingMode.floor);
        var shifted = codes * halfWidth + halfWidth;
        return (shifted * basisTensor.On(codes.device, ScalarType.Float64)).to(ScalarType.Int64).sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Indices (...) -> codes (..., d) in [-1, 1].</summary>
    public Tensor IndicesToCodes(Tensor indices)
    {
        using var scope = NewDisposeScope();
        var levels = levelTensor.On(indices.device);
        var digits = indices.unsqueeze(-1).div(basisTensor.On(indices.device), RoundingMode.floor).remainder(levels);
        var halfWidth = levels.div(2, RoundingMode.floor);
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
