// Port of torchaudio models/wav2vec2/components.py SelfAttention (BSD-2-Clause).
using Kanade.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>wav2vec 2.0 / HuBERT multi-head self-attention with separate q, k, v projections.</summary>
sealed class SelfAttention : EncoderSelfAttention
{
#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly Dense k_proj;
    readonly Dense v_proj;
    readonly Dense q_proj;
    readonly Dense out_proj;
#pragma warning restore IDE1006

    public SelfAttention(int embedDim, int numHeads, double dropout)
        : base(nameof(SelfAttention), embedDim, numHeads, dropout)
    {
        k_proj = new Dense(embedDim, embedDim);
        v_proj = new Dense(embedDim, embedDim);
        q_proj = new Dense(embedDim, embedDim);
        out_proj = new Dense(embedDim, embedDim);
        RegisterComponents();
    }

    /// <summary>(B, T, D) with the batch's padded keys or null -> (B, T, D); no position bias.</summary>
    public override (Tensor Output, Tensor? PositionBias) forward(Tensor x, KeyPadding? padding, Tensor? positionBias)
    {
        using var scope = NewDisposeScope();
        var q = SplitHeads(q_proj.call(x));
        var k = SplitHeads(k_proj.call(x));
        var v = SplitHeads(v_proj.call(x));
        var output = out_proj.call(Attend(q, k, v, padding?.Bias));
        return (output.MoveToOuterDisposeScope(), null);
    }
}
