// Port of torchaudio models/wav2vec2/components.py FeatureExtractor and _get_feature_extractor (BSD-2-Clause).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>The convolutional feature encoder: waveform (B, T) -> features (B, frames, C).</summary>
sealed class ConvFeatureExtractor : nn.Module<Tensor, Tensor?, (Tensor Features, Tensor? Lengths)>
{
#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly ModuleList<ConvLayerBlock> conv_layers = new();
#pragma warning restore IDE1006

    /// <param name="layers">The convolutions, first to last.</param>
    /// <param name="mode"><c>group_norm</c>: GroupNorm after the first convolution only; <c>layer_norm</c>: LayerNorm after each.</param>
    /// <param name="bias">Whether the convolutions have biases.</param>
    public ConvFeatureExtractor(IReadOnlyList<ConvLayerSpec> layers, string mode, bool bias) : base(nameof(ConvFeatureExtractor))
    {
        int inChannels = 1;
        for (int i = 0; i < layers.Count; i++)
        {
            string? norm = mode == "layer_norm" ? "layer_norm" : i == 0 ? "group_norm" : null;
            conv_layers.Add(new ConvLayerBlock(inChannels, layers[i], bias, norm));
            inChannels = layers[i].Channels;
        }
        RegisterComponents();
    }

    /// <summary>(B, T) -> (B, frames, C), and the valid frame counts (B,) when sample counts are given.</summary>
    public override (Tensor Features, Tensor? Lengths) forward(Tensor waveforms, Tensor? lengths)
    {
        using var scope = NewDisposeScope();
        var x = waveforms.unsqueeze(-1);                         // (B, T) -> (B, T, 1); every layer keeps (B, T, C)
        foreach (var layer in conv_layers)
            (x, lengths) = layer.call(x, lengths);
        return (x.MoveToOuterDisposeScope(), lengths?.MoveToOuterDisposeScope());
    }
}
