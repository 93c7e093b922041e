// The parameters of torch.nn.MultiheadAttention that WavLMSelfAttention uses (BSD-3-Clause names).
using Kanade.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// <c>nn.MultiheadAttention</c>'s packed input projection (<c>in_proj_weight</c> (3D, D), <c>in_proj_bias</c> (3D))
/// and <c>out_proj</c>; WavLM only borrows these weights and runs the attention itself.
/// </summary>
sealed class MultiheadAttentionWeights : nn.Module
{
#pragma warning disable IDE1006 // Field names are the PyTorch state-dict names.
    readonly Parameter in_proj_weight;
    readonly Parameter in_proj_bias;
    readonly Dense out_proj;
#pragma warning restore IDE1006

    public MultiheadAttentionWeights(int embedDim) : base("MultiheadAttention")
    {
        var weight = empty(3L * embedDim, embedDim);
        nn.init.xavier_uniform_(weight);
        in_proj_weight = nn.Parameter(weight);
        in_proj_bias = nn.Parameter(zeros(3L * embedDim));
        out_proj = new Dense(embedDim, embedDim);
        nn.init.zeros_(out_proj.Bias!);
        RegisterComponents();
    }

    /// <summary>(B, T, D) -> (B, T, 3D): queries, keys and values side by side.</summary>
    public Tensor ProjectInput(Tensor x) => Dense.Apply(x, in_proj_weight, in_proj_bias);

    /// <summary>
    /// (B, T, D) -> (B, T, 3, H, D / H + <paramref name="extra"/>): queries, keys and values per head, each head widened
    /// by <paramref name="extra"/> dimensions that hold 0 except a query's first extra one, which holds 1; queries are
    /// scaled by <paramref name="queryScale"/> (folded into the weights, in float32, then rounded to their dtype). One
    /// product writes the packed layout that cuDNN's attention reads without a copy.
    /// </summary>
    public Tensor ProjectInputWidened(Tensor x, int heads, int extra, double queryScale)
    {
        using var scope = NewDisposeScope();
        long dim = in_proj_weight.shape[1], headDim = dim / heads;
        var dtype = in_proj_weight.dtype;
        var perHead = in_proj_weight.view(3, heads, headDim, dim);
        var scales = tensor(new[] { queryScale, 1.0, 1.0 }, ScalarType.Float32, x.device).view(3, 1, 1);
        var weight = cat([(perHead.to(ScalarType.Float32) * scales.unsqueeze(-1)).to(dtype),
                          zeros(3, heads, extra, dim, dtype, x.device)], 2);                       // (3, H, d + e, D)
        var extraBias = zeros(3, heads, extra, dtype, x.device);
        extraBias[0, .., 0] = ones(heads, dtype, x.device);
        var bias = cat([(in_proj_bias.view(3, heads, headDim).to(ScalarType.Float32) * scales).to(dtype), extraBias], 2);
        long width = headDim + extra;
        return Dense.Apply(x, weight.view(3 * heads * width, dim), bias.view(-1))
            .view(x.shape[0], x.shape[1], 3, heads, width).MoveToOuterDisposeScope();
    }

    /// <summary>(B, T, D) -> (B, T, D).</summary>
    public Tensor ProjectOutput(Tensor x) => out_proj.call(x);

    /// <summary>
    /// (B, T, H, D / H + <paramref name="extra"/>) -> (B, T, D): the output projection of heads widened as by
    /// <see cref="ProjectInputWidened"/>, whose extra dimensions it ignores (zero weights), so that the attention's
    /// output, laid out (B, T, H, w) by cuDNN, is read in place rather than narrowed into a copy first.
    /// </summary>
    public Tensor ProjectOutputWidened(Tensor x, int extra)
    {
        using var scope = NewDisposeScope();
        long dim = out_proj.Weight.shape[0], heads = x.shape[2], headDim = dim / heads;
        var weight = cat([out_proj.Weight.view(dim, heads, headDim), zeros(dim, heads, extra, out_proj.Weight.dtype, x.device)], 2);
        return Dense.Apply(x.reshape(x.shape[0], x.shape[1], heads * (headDim + extra)), weight.view(dim, -1), out_proj.Bias)
            .MoveToOuterDisposeScope();
    }
}
