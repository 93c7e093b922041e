// The common shape of torchaudio's SelfAttention and WavLMSelfAttention (BSD-2-Clause), as EncoderLayer calls them.
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// Self-attention of an encoder layer: (x (B, T, D), the batch's padded keys or null, position bias (1, H, T, T) or
/// null) -> (output (B, T, D), the position bias for the next layer).
/// </summary>
abstract class EncoderSelfAttention : nn.Module<Tensor, KeyPadding?, Tensor?, (Tensor Output, Tensor? PositionBias)>
{
    protected EncoderSelfAttention(string name, int embedDim, int numHeads, double dropout) : base(name)
    {
        EmbedDim = embedDim;
        NumHeads = numHeads;
        HeadDim = embedDim / numHeads;
        Dropout = dropout;
    }

    /// <summary>Model width D.</summary>
    public int EmbedDim { get; }

    /// <summary>Heads H.</summary>
    public int NumHeads { get; }

    /// <summary>D / H.</summary>
    public int HeadDim { get; }

    /// <summary>Dropout on the attention weights, in training only.</summary>
    public double Dropout { get; }

    /// <summary>(B, T, D) -> (B, H, T, D / H).</summary>
    protected Tensor SplitHeads(Tensor x) =>
        x.view(x.shape[0], x.shape[1], NumHeads, HeadDim).transpose(2, 1);

    /// <summary>Scaled dot-product attention over heads, then the heads joined: (B, H, T, hd) x 3 -> (B, T, D).</summary>
    protected Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        var output = nn.functional.scaled_dot_product_attention(q, k, v, mask, training ? Dropout : 0.0);
        return output.transpose(1, 2).reshape(q.shape[0], -1, EmbedDim);   // (B, H, T, hd) -> (B, T, D)
    }
}
