// Port of torchaudio models/wav2vec2/components.py Encoder (BSD-2-Clause).
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>Feature projection, then the transformer; padded frames are zeroed and masked out of attention.</summary>
sealed class Wav2Vec2Encoder : nn.Module<Tensor, long[]?, Tensor>
{
#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly FeatureProjection feature_projection;
    readonly Wav2Vec2Transformer transformer;
#pragma warning restore IDE1006

    public Wav2Vec2Encoder(FeatureProjection featureProjection, Wav2Vec2Transformer transformer) : base(nameof(Wav2Vec2Encoder))
    {
        feature_projection = featureProjection;
        this.transformer = transformer;
        RegisterComponents();
    }

    /// <summary>Number of transformer layers.</summary>
    public int LayerCount => transformer.LayerCount;

    /// <summary>(B, frames, C) with valid frame counts per item or null -> (B, frames, D) after every layer.</summary>
    public override Tensor forward(Tensor features, long[]? validFrames)
    {
        using var scope = NewDisposeScope();
        var (x, padding) = Preprocess(features, validFrames);
        return transformer.call(x, padding).MoveToOuterDisposeScope();
    }

    /// <summary>The outputs of the first <paramref name="numLayers"/> layers, each (B, frames, D).</summary>
    public Tensor[] ExtractFeatures(Tensor features, long[]? validFrames, int numLayers)
    {
        using var scope = NewDisposeScope();
        var (x, padding) = Preprocess(features, validFrames);
        var outputs = transformer.IntermediateOutputs(x, padding, numLayers);
        foreach (var output in outputs) output.MoveToOuterDisposeScope();
        return outputs;
    }

    /// <summary>
    /// Projects the features; with lengths, zeroes the padded frames and returns the padded keys that attention must
    /// ignore (an additive bias broadcast over heads and queries, never materialised as T x T).
    /// </summary>
    (Tensor X, KeyPadding? Padding) Preprocess(Tensor features, long[]? validFrames)
    {
        var x = feature_projection.call(features);
        if (validFrames is null) return (x, null);
        var padding = KeyPadding.Create(validFrames, x.shape[1], x.dtype, x.device);
        x = x.masked_fill(padding.IsPadding.unsqueeze(-1), 0.0);                          // (B, T) -> (B, T, 1)
        return (x, padding);
    }
}
