// Port of kanade-tokenizer module/hift.py Snake (MIT; Liu Ziyin et al., https://arxiv.org/abs/2006.08195).
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>Snake activation per channel: x + sin²(αx) / α on (B, C, T), α learnt (linear scale).</summary>
public sealed class Snake : Module<Tensor, Tensor>
{
    // Keeps 1/α finite when a channel's α is zero.
    const double NoDivisionByZero = 1e-9;

#pragma warning disable IDE1006 // PyTorch attribute name: the checkpoint's tensor name.
    readonly Parameter alpha;
#pragma warning restore IDE1006

    /// <summary>Creates the activation for <paramref name="channels"/> channels, α = 1.</summary>
    public Snake(int channels) : base(nameof(Snake))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        alpha = Parameter(ones(channels));
        RegisterComponents();
    }

    /// <summary>(B, C, T) -> (B, C, T).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var a = alpha.view(1, -1, 1); // (C,) -> (1, C, 1)
        var y = x + (1.0 / (a + NoDivisionByZero)) * (x * a).sin().pow(2);
        return y.MoveToOuterDisposeScope();
    }
}
