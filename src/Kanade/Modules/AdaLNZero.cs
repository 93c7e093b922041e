// Port of kanade-tokenizer module/adaln_zero.py (MIT; after DiT).
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>
/// Adaptive LayerNorm-Zero: a parameter-free LayerNorm modulated by shift and scale (and a residual gate)
/// projected from a condition vector.
/// </summary>
public sealed class AdaLNZero : Module<Tensor, Tensor, (Tensor Modulated, Tensor? Gate)>
{
#pragma warning disable IDE1006 // checkpoint names
    readonly LayerNorm norm;
    readonly Sequential condition_proj;
#pragma warning restore IDE1006
    readonly bool returnGate;

    /// <summary>Creates the norm for width <paramref name="dim"/> conditioned on <paramref name="conditionDim"/>.</summary>
    public AdaLNZero(int dim, int conditionDim, double eps = 1e-5, bool returnGate = true) : base(nameof(AdaLNZero))
    {
        this.returnGate = returnGate;
        norm = LayerNorm(dim, eps, elementwise_affine: false);
        condition_proj = Sequential(SiLU(), new Dense(conditionDim, (returnGate ? 3 : 2) * dim));
        RegisterComponents();
    }

    /// <summary>x (B, L, D) and condition (B, 1 or L, C) -> modulated x (B, L, D) and gate (B, 1 or L, D) or null.</summary>
    public override (Tensor Modulated, Tensor? Gate) forward(Tensor x, Tensor condition)
    {
        using var scope = NewDisposeScope();
        var normalized = norm.call(x);
        var parameters = condition_proj.call(condition).chunk(returnGate ? 3 : 2, dim: -1);
        var modulated = normalized * (1 + parameters[1]) + parameters[0];
        var gate = returnGate ? parameters[2] : null;
        modulated.MoveToOuterDisposeScope();
        gate?.MoveToOuterDisposeScope();
        return (modulated, gate);
    }
}
