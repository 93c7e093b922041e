// Port of torchaudio models/wav2vec2/components.py FeedForward (BSD-2-Clause).
using Kanade.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kanade.Ssl;

/// <summary>Linear, GELU, dropout, Linear, dropout.</summary>
sealed class FeedForward : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly Dense intermediate_dense;
    readonly Dropout intermediate_dropout;
    readonly Dense output_dense;
    readonly Dropout output_dropout;
#pragma warning restore IDE1006

    public FeedForward(int ioFeatures, int intermediateFeatures, double intermediateDropout, double outputDropout)
        : base(nameof(FeedForward))
    {
        intermediate_dense = new Dense(ioFeatures, intermediateFeatures);
        intermediate_dropout = nn.Dropout(intermediateDropout);
        output_dense = new Dense(intermediateFeatures, ioFeatures);
        output_dropout = nn.Dropout(outputDropout);
        RegisterComponents();
    }

    /// <summary>(B, T, D) -> (B, T, D).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = intermediate_dropout.call(F.gelu(intermediate_dense.call(x)));
        return output_dropout.call(output_dense.call(hidden)).MoveToOuterDisposeScope();
    }
}
