// Port of torchaudio models/wav2vec2/components.py LayerNorm (BSD-2-Clause).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kanade.Ssl;

/// <summary>LayerNorm over the channels of a (B, C, T) tensor (the large extractors' per-convolution norm).</summary>
sealed class ChannelLayerNorm : nn.Module<Tensor, Tensor>
{
    readonly long channels;

#pragma warning disable IDE1006 // Parameter names are the torchaudio state-dict names.
    readonly Parameter weight;
    readonly Parameter bias;
#pragma warning restore IDE1006

    public ChannelLayerNorm(long channels) : base(nameof(ChannelLayerNorm))
    {
        this.channels = channels;
        weight = nn.Parameter(ones(channels));
        bias = nn.Parameter(zeros(channels));
        RegisterComponents();
    }

    /// <summary>(B, C, T) -> (B, C, T), each frame normalised over its C channels.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = F.layer_norm(x.transpose(-2, -1), [channels], weight, bias, 1e-5);   // (B, C, T) -> (B, T, C)
        return y.transpose(-2, -1).MoveToOuterDisposeScope();                         // (B, T, C) -> (B, C, T)
    }
}
