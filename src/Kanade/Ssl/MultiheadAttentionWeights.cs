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

    /// <summary>(B, T, D) -> (B, T, D).</summary>
    public Tensor ProjectOutput(Tensor x) => out_proj.call(x);
}
