// Port of Vocos modules.py AdaLayerNorm (MIT).
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>LayerNorm without affine weights, then a scale and shift looked up per conditioning class.</summary>
public sealed class AdaLayerNorm : Module<Tensor, Tensor, Tensor>
{
    readonly long dim;
    readonly double eps;

#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint's tensor names.
    readonly Embedding scale;
    readonly Embedding shift;
#pragma warning restore IDE1006

    /// <summary>Creates the norm for <paramref name="numEmbeddings"/> classes over <paramref name="embeddingDim"/> channels.</summary>
    public AdaLayerNorm(int numEmbeddings, int embeddingDim, double eps = 1e-6) : base(nameof(AdaLayerNorm))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numEmbeddings, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingDim, 1);
        dim = embeddingDim;
        this.eps = eps;
        scale = Embedding(numEmbeddings, embeddingDim);
        shift = Embedding(numEmbeddings, embeddingDim);
        RegisterComponents();
    }

    /// <summary>(B, T, C) normalised over C, times scale[id] plus shift[id]; <paramref name="condEmbeddingId"/> is (B,) or (1,) int64.</summary>
    public override Tensor forward(Tensor x, Tensor condEmbeddingId)
    {
        using var scope = NewDisposeScope();
        // (B,) -> (B, 1, C), broadcast over time
        var gain = scale.call(condEmbeddingId).unsqueeze(-2);
        var bias = shift.call(condEmbeddingId).unsqueeze(-2);
        var normed = functional.layer_norm(x, [dim], eps: eps);
        return (normed * gain + bias).MoveToOuterDisposeScope();
    }
}
