// Port of kanade-tokenizer module/transformer.py Attention (MIT).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>Multi-head self-attention with optional local window, RoPE and causal masking, through SDPA.</summary>
public sealed class Attention : Module<Tensor, Tensor>
{
    // Field names are the checkpoint's parameter names (snake_case on purpose).
#pragma warning disable IDE1006
    readonly Dense wq, wk, wv, wo;
#pragma warning restore IDE1006
    readonly int heads, headDim;
    readonly double dropout;

    /// <summary>Local window (odd) or null for global attention.</summary>
    public int? WindowSize { get; }
    /// <summary>Whether future positions are masked.</summary>
    public bool Causal { get; }

    /// <summary>Creates the attention layer.</summary>
    public Attention(int dim, int heads, double dropout, int? windowSize, bool qkvBias, bool projBias, bool causal) : base(nameof(Attention))
    {
        if (dim % heads != 0) throw new ArgumentException($"Attention width {dim} does not divide by {heads} heads.", nameof(heads));
        if (windowSize is int w && w % 2 != 1) throw new ArgumentException($"window_size must be odd for local attention, got {w}.", nameof(windowSize));
        this.heads = heads;
        headDim = dim / heads;
        this.dropout = dropout;
        WindowSize = windowSize;
        Causal = causal;
        wq = new Dense(dim, heads * headDim, hasBias: qkvBias);
        wk = new Dense(dim, heads * headDim, hasBias: qkvBias);
        wv = new Dense(dim, heads * headDim, hasBias: qkvBias);
        wo = new Dense(heads * headDim, dim, hasBias: projBias);
        RegisterComponents();
    }

    /// <summary>(B, T, D) -> (B, T, D) without RoPE or padding.</summary>
    public override Tensor forward(Tensor x) => forward(x, null, null);

    /// <summary>(B, T, D) -> (B, T, D).</summary>
    /// <param name="x">Input (B, T, D).</param>
    /// <param name="rope">Rotary embedding, or null.</param>
    /// <param name="mask">
    /// Mask broadcastable to (B, H, T, T): boolean (true = may attend) or additive in the query dtype
    /// (<see cref="AttentionMasks.Additive"/>); null for none.
    /// </param>
    public Tensor forward(Tensor x, RotaryEmbedding? rope, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], time = x.shape[1];
        var q = wq.call(x).view(batch, time, heads, headDim);
        var k = wk.call(x).view(batch, time, heads, headDim);
        var v = wv.call(x).view(batch, time, heads, headDim);
        if (rope is not null)
        {
            q = rope.Apply(q);
            k = rope.Apply(k);
        }
        // (B, T, H, Dh) -> (B, H, T, Dh); dropout only while training (the reference also drops in eval).
        var output = functional.scaled_dot_product_attention(
            q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
            attn_mask: mask, p: training ? dropout : 0.0);
        output = output.transpose(1, 2).contiguous().view(batch, time, heads * headDim); // (B, H, T, Dh) -> (B, T, D)
        return wo.call(output).MoveToOuterDisposeScope();
    }
}
