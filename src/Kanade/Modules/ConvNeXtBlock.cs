// Port of kanade-tokenizer module/convnext.py ConvNeXtBlock (MIT; after Vocos and ConvNeXt).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>1-D ConvNeXt block: depthwise conv 7, LayerNorm, pointwise MLP with GELU, layer scale, residual.</summary>
public sealed class ConvNeXtBlock : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // checkpoint names
    readonly Conv1d dwconv;
    readonly LayerNorm norm;
    readonly Dense pwconv1;
    readonly GELU act;
    readonly Dense pwconv2;
    readonly Parameter? gamma;
#pragma warning restore IDE1006

    /// <summary>Creates the block; <paramref name="layerScaleInitValue"/> &lt;= 0 means no layer scale.</summary>
    public ConvNeXtBlock(int dim, int intermediateDim, double layerScaleInitValue) : base(nameof(ConvNeXtBlock))
    {
        dwconv = Conv1d(dim, dim, kernel_size: 7, padding: 3, groups: dim);
        norm = LayerNorm(dim, 1e-6);
        pwconv1 = new Dense(dim, intermediateDim);
        act = GELU();
        pwconv2 = new Dense(intermediateDim, dim);
        if (layerScaleInitValue > 0) gamma = Parameter(torch.full(dim, layerScaleInitValue));
        RegisterComponents();
    }

    /// <summary>(B, C, T) -> (B, C, T).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = dwconv.call(x).transpose(1, 2); // (B, C, T) -> (B, T, C)
        h = pwconv2.call(act.call(pwconv1.call(norm.call(h))));
        if (gamma is not null) h = gamma * h;
        return (x + h.transpose(1, 2)).MoveToOuterDisposeScope(); // (B, T, C) -> (B, C, T)
    }
}
