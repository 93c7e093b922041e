// Port of torchaudio models/wav2vec2/components.py Encoder (BSD-2-Clause).
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>Feature projection, then the transformer; padded frames are zeroed and masked out of attention.</summary>
sealed class Wav2Vec2Encoder : nn.Module<Tensor, Tensor?, Tensor>
{
    // torchaudio's additive mask value for padded keys; exp of it underflows to exactly 0 in float32.
    const double PaddedKeyBias = -10000.0;

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

    /// <summary>(B, frames, C) with valid frame counts (B,) or null -> (B, frames, D) after every layer.</summary>
    public override Tensor forward(Tensor features, Tensor? lengths)
    {
        using var scope = NewDisposeScope();
        var (x, paddingBias) = Preprocess(features, lengths);
        return transformer.call(x, paddingBias).MoveToOuterDisposeScope();
    }

    /// <summary>The outputs of the first <paramref name="numLayers"/> layers, each (B, frames, D).</summary>
    public Tensor[] ExtractFeatures(Tensor features, Tensor? lengths, int numLayers)
    {
        using var scope = NewDisposeScope();
        var (x, paddingBias) = Preprocess(features, lengths);
        var outputs = transformer.IntermediateOutputs(x, paddingBias, numLayers);
        foreach (var output in outputs) output.MoveToOuterDisposeScope();
        return outputs;
    }

    /// <summary>
    /// Projects the features; with lengths, zeroes the padded frames and returns the additive key bias
    /// (B, 1, 1, frames) that keeps attention off them (broadcast over heads and queries, never materialised as T x T).
    /// </summary>
    (Tensor X, Tensor? PaddingBias) Preprocess(Tensor features, Tensor? lengths)
    {
        var x = feature_projection.call(features);
        if (lengths is null) return (x, null);
        long batch = x.shape[0], frames = x.shape[1];
        var positions = arange(frames, dtype: ScalarType.Int64, device: x.device);
        var isPadding = positions.unsqueeze(0).ge(lengths.unsqueeze(1));                  // (B, T)
        x = x.masked_fill(isPadding.unsqueeze(-1), 0.0);                                    // (B, T) -> (B, T, 1)
        var paddingBias = isPadding.to(x.dtype).mul(PaddedKeyBias).view(batch, 1, 1, frames); // (B, T) -> (B, 1, 1, T)
        return (x, paddingBias);
    }
}
