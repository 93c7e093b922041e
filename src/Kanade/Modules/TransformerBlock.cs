// Port of kanade-tokenizer module/transformer.py TransformerBlock (MIT).
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>Pre-norm block: attention and SwiGLU, each with a residual; AdaLN-Zero gates the residuals when conditioned.</summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // checkpoint names
    readonly Attention attention;
    readonly FeedForward feed_forward;
    readonly Module attention_norm, ffn_norm;
#pragma warning restore IDE1006
    readonly bool adaptive;

    /// <summary>Creates one block from the Transformer's options.</summary>
    public TransformerBlock(TransformerOptions o) : base(nameof(TransformerBlock))
    {
        attention = new Attention(o.Dim, o.NHeads, o.Dropout, o.WindowSize, o.QkvBias, o.ProjBias, o.Causal);
        feed_forward = new FeedForward(o.Dim, 4 * o.Dim, o.MultipleOf, o.FfnDimMultiplier);
        adaptive = o.UseAdalnZero;
        if (adaptive)
        {
            int condition = o.AdanormConditionDim ?? throw new ArgumentException("use_adaln_zero needs adanorm_condition_dim.");
            attention_norm = new AdaLNZero(o.Dim, condition, o.NormEps, returnGate: true);
            ffn_norm = new AdaLNZero(o.Dim, condition, o.NormEps, returnGate: true);
        }
        else
        {
            attention_norm = LayerNorm(o.Dim, o.NormEps);
            ffn_norm = LayerNorm(o.Dim, o.NormEps);
        }
        RegisterComponents();
    }

    /// <summary>(B, T, D) -> (B, T, D), unconditioned, no RoPE, no mask.</summary>
    public override Tensor forward(Tensor x) => forward(x, null, null, null);

    /// <summary>(B, T, D) -> (B, T, D).</summary>
    /// <param name="x">Input (B, T, D).</param>
    /// <param name="rope">Rotary embedding or null.</param>
    /// <param name="mask">Attention mask broadcastable to (B, H, T, T), boolean or additive (see <see cref="Attention"/>), or null.</param>
    /// <param name="condition">(B, 1, C) condition for AdaLN-Zero, or null.</param>
    public Tensor forward(Tensor x, RotaryEmbedding? rope, Tensor? mask, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var (attentionInput, attentionGate) = Normalize(attention_norm, x, condition);
        var attended = attention.forward(attentionInput, rope, mask);
        var h = x + (attentionGate is null ? attended : attentionGate * attended);
        var (ffnInput, ffnGate) = Normalize(ffn_norm, h, condition);
        var fed = feed_forward.call(ffnInput);
        return (h + (ffnGate is null ? fed : ffnGate * fed)).MoveToOuterDisposeScope();
    }

    (Tensor, Tensor?) Normalize(Module norm, Tensor x, Tensor? condition)
    {
        if (!adaptive) return (((Module<Tensor, Tensor>)norm).call(x), null);
        if (condition is null) throw new ArgumentException("This AdaLN-Zero Transformer needs a condition (the global embedding).");
        return ((AdaLNZero)norm).call(x, condition);
    }
}
