// Port of torchaudio models/wav2vec2/components.py EncoderLayer (BSD-2-Clause).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>Self-attention and feed-forward with residuals; post-norm (base models) or pre-norm (<c>layer_norm_first</c>).</summary>
sealed class EncoderLayer : nn.Module<Tensor, KeyPadding?, Tensor?, (Tensor Output, Tensor? PositionBias)>
{
    readonly bool layerNormFirst;

#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly EncoderSelfAttention attention;
    readonly Dropout dropout;
    readonly LayerNorm layer_norm;
    readonly FeedForward feed_forward;
    readonly LayerNorm final_layer_norm;
#pragma warning restore IDE1006

    public EncoderLayer(EncoderSelfAttention attention, double dropoutRate, bool layerNormFirst, FeedForward feedForward)
        : base(nameof(EncoderLayer))
    {
        this.layerNormFirst = layerNormFirst;
        this.attention = attention;
        dropout = nn.Dropout(dropoutRate);
        layer_norm = nn.LayerNorm(attention.EmbedDim);
        feed_forward = feedForward;
        final_layer_norm = nn.LayerNorm(attention.EmbedDim);
        RegisterComponents();
    }

    /// <summary>(B, T, D) -> (B, T, D), passing the WavLM position bias (1, H, T, T) on.</summary>
    public override (Tensor Output, Tensor? PositionBias) forward(Tensor x, KeyPadding? padding, Tensor? positionBias)
    {
        using var scope = NewDisposeScope();
        var residual = x;
        if (layerNormFirst) x = layer_norm.call(x);
        var (attended, bias) = attention.call(x, padding, positionBias);
        x = residual + dropout.call(attended);
        if (layerNormFirst)
        {
            x = x + feed_forward.call(final_layer_norm.call(x));
        }
        else
        {
            x = layer_norm.call(x);
            x = final_layer_norm.call(x + feed_forward.call(x));
        }
        x.MoveToOuterDisposeScope();
        // A bias created below this scope moves out with the output; one passed in stays where it was.
        if (bias is not null && !ReferenceEquals(bias, positionBias)) bias.MoveToOuterDisposeScope();
        return (x, bias);
    }
}
