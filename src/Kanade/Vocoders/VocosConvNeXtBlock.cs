// Port of Vocos modules.py ConvNeXtBlock (MIT).
using Kanade.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>
/// ConvNeXt block on (B, C, T): depthwise conv (kernel 7), LayerNorm (or AdaLayerNorm), pointwise MLP with GELU,
/// layer scale <c>gamma</c>, residual.
/// </summary>
public sealed class VocosConvNeXtBlock : Module<Tensor, Tensor?, Tensor>
{
#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint's tensor names.
    readonly Conv1d dwconv;
    readonly Module norm;
    readonly Dense pwconv1;
    readonly Dense pwconv2;
    readonly Parameter? gamma;
#pragma warning restore IDE1006

    /// <summary>Creates a block; <paramref name="layerScaleInitValue"/> &lt;= 0 leaves out <c>gamma</c>.</summary>
    public VocosConvNeXtBlock(int dim, int intermediateDim, double layerScaleInitValue, int? adanormNumEmbeddings = null)
        : base(nameof(VocosConvNeXtBlock))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(intermediateDim, 1);
        dwconv = Conv1d(dim, dim, 7, padding: 3, groups: dim);
        norm = adanormNumEmbeddings is int classes ? new AdaLayerNorm(classes, dim, eps: 1e-6) : LayerNorm(dim, eps: 1e-6);
        pwconv1 = new Dense(dim, intermediateDim);
        pwconv2 = new Dense(intermediateDim, dim);
        if (layerScaleInitValue > 0)
            gamma = Parameter(full(dim, layerScaleInitValue));
        RegisterComponents();
    }

    /// <summary>(B, C, T) -> (B, C, T); <paramref name="condEmbeddingId"/> is required with AdaLayerNorm, else ignored.</summary>
    public override Tensor forward(Tensor x, Tensor? condEmbeddingId)
    {
        using var scope = NewDisposeScope();
        var h = dwconv.call(x).transpose(1, 2); // (B, C, T) -> (B, T, C)
        h = norm switch
        {
            AdaLayerNorm ada => ada.call(h, condEmbeddingId
                ?? throw new ArgumentNullException(nameof(condEmbeddingId), "This ConvNeXt block uses AdaLayerNorm: pass a conditioning id.")),
            LayerNorm plain => plain.call(h),
            _ => throw new InvalidOperationException("Unexpected norm module."),
        };
        h = pwconv2.call(functional.gelu(pwconv1.call(h)));
        if (gamma is not null) h = gamma * h;
        h = h.transpose(1, 2); // (B, T, C) -> (B, C, T)
        return (x + h).MoveToOuterDisposeScope();
    }
}
