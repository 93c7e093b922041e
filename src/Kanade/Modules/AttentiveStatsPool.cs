// Port of kanade-tokenizer module/global_encoder.py AttentiveStatsPool (MIT; after ECAPA-TDNN in UniSpeech).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>Attention-weighted mean and standard deviation over time, projected and normalised.</summary>
public sealed class AttentiveStatsPool : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // checkpoint names
    readonly Sequential attn;
    readonly Dense proj;
    readonly LayerNorm norm;
#pragma warning restore IDE1006

    /// <summary>Creates the pooling layer.</summary>
    public AttentiveStatsPool(int inputChannels, int outputChannels, int attentionChannels = 128) : base(nameof(AttentiveStatsPool))
    {
        attn = Sequential(
            Conv1d(inputChannels, attentionChannels, kernel_size: 1),
            Tanh(),
            Conv1d(attentionChannels, inputChannels, kernel_size: 1),
            Softmax(dim: 2));
        proj = new Dense(inputChannels * 2, outputChannels);
        norm = LayerNorm(outputChannels);
        RegisterComponents();
    }

    /// <summary>(B, C, T) -> (B, C_out).</summary>
    public override Tensor forward(Tensor x) => forward(x, null);

    /// <summary>(B, C, T) -> (B, C_out); <paramref name="validFrames"/> (B, T) excludes padded frames from the statistics.</summary>
    public Tensor forward(Tensor x, Tensor? validFrames)
    {
        using var scope = NewDisposeScope();
        Tensor alpha;
        if (validFrames is null) alpha = attn.call(x);
        else
        {
            // Same layers, but the softmax over time skips padded frames.
            var logits = ((Module<Tensor, Tensor>)attn[2]).call(((Module<Tensor, Tensor>)attn[1]).call(((Module<Tensor, Tensor>)attn[0]).call(x)));
            logits = logits.masked_fill(validFrames.logical_not().unsqueeze(1), double.NegativeInfinity);
            alpha = logits.softmax(2);
        }
        var mean = (alpha * x).sum(2);
        var residuals = (alpha * x.pow(2)).sum(2) - mean.pow(2);
        var std = residuals.clamp(1e-4, 1e4).sqrt();
        return norm.call(proj.call(torch.cat([mean, std], 1))).MoveToOuterDisposeScope();
    }
}
