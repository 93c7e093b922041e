// Port of torchaudio models/wav2vec2/components.py ConvolutionalPositionalEmbedding (BSD-2-Clause).
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kanade.Ssl;

/// <summary>Grouped, weight-normalised Conv1d over time with GELU: the encoder's relative position signal.</summary>
sealed class ConvolutionalPositionalEmbedding : nn.Module<Tensor, Tensor>
{
    readonly long trailingToRemove;

#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly WeightNormConv1d conv;
#pragma warning restore IDE1006

    public ConvolutionalPositionalEmbedding(int embedDim, int kernel, int groups) : base(nameof(ConvolutionalPositionalEmbedding))
    {
        conv = new WeightNormConv1d(embedDim, kernel, kernel / 2, groups, dim: 2);
        // Padding kernel / 2 on both sides yields one frame too many for an even kernel.
        trailingToRemove = kernel % 2 == 0 ? 1 : 0;
        RegisterComponents();
    }

    /// <summary>(B, frames, D) -> (B, frames, D).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv.call(x.transpose(-2, -1));                  // (B, T, D) -> (B, D, T')
        if (trailingToRemove > 0)
            y = y.narrow(-1, 0, y.shape[^1] - trailingToRemove);
        y = F.gelu(y).transpose(-2, -1);                         // (B, D, T) -> (B, T, D)
        return y.MoveToOuterDisposeScope();
    }
}
