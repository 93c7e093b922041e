// Port of torchaudio models/wav2vec2/components.py FeatureProjection (BSD-2-Clause).
using Kanade.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>LayerNorm, Linear and dropout from the extractor's channels to the encoder width.</summary>
sealed class FeatureProjection : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly LayerNorm layer_norm;
    readonly Dense projection;
    readonly Dropout dropout;
#pragma warning restore IDE1006

    public FeatureProjection(int inFeatures, int outFeatures, double dropoutRate) : base(nameof(FeatureProjection))
    {
        layer_norm = nn.LayerNorm(inFeatures);
        projection = new Dense(inFeatures, outFeatures);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>(B, frames, C) -> (B, frames, D).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return dropout.call(projection.call(layer_norm.call(x))).MoveToOuterDisposeScope();
    }
}
