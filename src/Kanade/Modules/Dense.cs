// torch.nn.Linear's parameters and initialisation (BSD-3-Clause names), computed as PyTorch's Python F.linear does.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Modules;

/// <summary>
/// A linear layer, y = x W^T + b, with <c>nn.Linear</c>'s parameter names (<c>weight</c> (out, in), <c>bias</c> (out))
/// and initialisation, whose bias is added inside the matrix product whatever the input's rank.
/// </summary>
/// <remarks>
/// TorchSharp's <c>nn.Linear</c> runs libtorch's C++ frontend, which fuses the bias only for 2-D inputs: a (B, T, C)
/// input goes through a product and then a separate broadcast add that reads and writes the whole output again (and,
/// in bf16, rounds it twice). PyTorch's Python <c>F.linear</c>, which the reference calls, views a contiguous input as
/// 2-D and calls <c>addmm</c>, whose bias cuBLASLt adds in the product's epilogue on CUDA. So does this layer. In
/// <c>kanade tokenize</c> on an H200 in bf16, those separate adds took 6.8 ms in WavLM's layers alone, of the 50 ms
/// of GPU time a batch of 64 took; the bulk pass went from 54.0 to 44.5 ms with this layer (docs/performance.md).
/// </remarks>
public sealed class Dense : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // The PyTorch state-dict names.
    readonly Parameter weight;
    readonly Parameter? bias;
#pragma warning restore IDE1006

    /// <param name="inFeatures">Input width.</param>
    /// <param name="outFeatures">Output width.</param>
    /// <param name="hasBias">Whether the layer adds a bias.</param>
    public Dense(long inFeatures, long outFeatures, bool hasBias = true) : base("Linear")
    {
        // nn.Linear.reset_parameters: Kaiming-uniform weights with a = sqrt(5), bias uniform in +-1 / sqrt(in), in
        // that order, so a seeded model draws the same numbers as PyTorch's.
        weight = nn.Parameter(empty(outFeatures, inFeatures));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        if (hasBias)
        {
            double bound = inFeatures > 0 ? 1 / Math.Sqrt(inFeatures) : 0;
            bias = nn.Parameter(empty(outFeatures));
            nn.init.uniform_(bias, -bound, bound);
        }
        RegisterComponents();
    }

    /// <summary>(out, in) weight.</summary>
    public Parameter Weight => weight;

    /// <summary>(out,) bias, or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>(..., in) -> (..., out).</summary>
    public override Tensor forward(Tensor x) => Apply(x, weight, bias);

    /// <summary>
    /// x W^T + b for x of shape (..., in), W (out, in), b (out,) or null: one <c>addmm</c> over x viewed as 2-D (copied
    /// first only when its layout does not allow the view), so the bias never costs a pass of its own.
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias)
    {
        if (bias is null || x.dim() < 2) return nn.functional.linear(x, weight, bias);
        long[] shape = x.shape;
        shape[^1] = weight.shape[0];
        return bias.addmm(x.reshape(-1, x.shape[^1]), weight.t()).view(shape);
    }
}
