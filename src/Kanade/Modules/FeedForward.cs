// Port of kanade-tokenizer module/transformer.py FeedForward (MIT; SwiGLU after Llama 3).
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>SwiGLU feed-forward: w2(silu(w1 x) * w3 x).</summary>
public sealed class FeedForward : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // checkpoint names
    readonly Dense w1, w2, w3;
#pragma warning restore IDE1006

    /// <summary>The hidden width after the reference's rounding of 2/3 x <paramref name="hiddenDim"/>.</summary>
    public static int HiddenWidth(int hiddenDim, int multipleOf, double? ffnDimMultiplier)
    {
        int hidden = (int)(2 * hiddenDim / 3.0);
        if (ffnDimMultiplier is double m) hidden = (int)(m * hidden);
        return multipleOf * ((hidden + multipleOf - 1) / multipleOf);
    }

    /// <summary>Creates the block for width <paramref name="dim"/> and nominal hidden width <paramref name="hiddenDim"/>.</summary>
    public FeedForward(int dim, int hiddenDim, int multipleOf, double? ffnDimMultiplier) : base(nameof(FeedForward))
    {
        int hidden = HiddenWidth(hiddenDim, multipleOf, ffnDimMultiplier);
        w1 = new Dense(dim, hidden, hasBias: false);
        w2 = new Dense(hidden, dim, hasBias: false);
        w3 = new Dense(dim, hidden, hasBias: false);
        RegisterComponents();
    }

    /// <summary>(..., D) -> (..., D).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return w2.call(functional.silu(w1.call(x)) * w3.call(x)).MoveToOuterDisposeScope();
    }
}
