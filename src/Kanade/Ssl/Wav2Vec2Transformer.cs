// Port of torchaudio models/wav2vec2/components.py Transformer (BSD-2-Clause).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>Positional convolution, a LayerNorm (before the layers for post-norm layers, after them otherwise) and the encoder layers.</summary>
sealed class Wav2Vec2Transformer : nn.Module<Tensor, KeyPadding?, Tensor>
{
    // torchaudio's Transformer.layer_norm_first is the opposite of its layers' layer_norm_first.
    readonly bool normBeforeLayers;
    readonly double layerDrop;

#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly ConvolutionalPositionalEmbedding pos_conv_embed;
    readonly LayerNorm layer_norm;
    readonly Dropout dropout;
    readonly ModuleList<EncoderLayer> layers;
#pragma warning restore IDE1006

    public Wav2Vec2Transformer(ConvolutionalPositionalEmbedding posConvEmbed, int embedDim, double dropoutRate,
        IEnumerable<EncoderLayer> layers, bool layerNormFirst, double layerDrop) : base(nameof(Wav2Vec2Transformer))
    {
        normBeforeLayers = !layerNormFirst;
        this.layerDrop = layerDrop;
        pos_conv_embed = posConvEmbed;
        layer_norm = nn.LayerNorm(embedDim);
        dropout = nn.Dropout(dropoutRate);
        this.layers = new ModuleList<EncoderLayer>(layers.ToArray());
        RegisterComponents();
    }

    /// <summary>Number of encoder layers.</summary>
    public int LayerCount => layers.Count;

    /// <summary>
    /// The full stack: (B, T, D) -> (B, T, D), the final LayerNorm included for pre-norm layers. In training,
    /// each layer is skipped with probability <c>encoder_layer_drop</c>.
    /// </summary>
    public override Tensor forward(Tensor x, KeyPadding? padding)
    {
        using var scope = NewDisposeScope();
        x = Preprocess(x);
        Tensor? positionBias = null;
        foreach (var layer in layers)
        {
            if (training && layerDrop > 0 && rand(1).item<float>() <= layerDrop) continue;
            (x, positionBias) = layer.call(x, padding, positionBias);
        }
        if (!normBeforeLayers) x = layer_norm.call(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The outputs of the first <paramref name="numLayers"/> layers, each (B, T, D), as torchaudio's
    /// <c>get_intermediate_outputs</c>: no layer drop, and no final LayerNorm for pre-norm layers.
    /// </summary>
    public Tensor[] IntermediateOutputs(Tensor x, KeyPadding? padding, int numLayers)
    {
        using var scope = NewDisposeScope();
        x = Preprocess(x);
        var outputs = new Tensor[numLayers];
        Tensor? positionBias = null;
        for (int i = 0; i < numLayers; i++)
        {
            (x, positionBias) = layers[i].call(x, padding, positionBias);
            outputs[i] = x;
        }
        foreach (var output in outputs) output.MoveToOuterDisposeScope();
        return outputs;
    }

    Tensor Preprocess(Tensor x)
    {
        x = x + pos_conv_embed.call(x);
        if (normBeforeLayers) x = layer_norm.call(x);
        return dropout.call(x);
    }
}
