// Port of kanade-tokenizer module/global_encoder.py GlobalEncoder (MIT).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>ConvNeXt backbone over SSL features, pooled over time into one global (speaker) embedding.</summary>
public sealed class GlobalEncoder : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // checkpoint names
    readonly ConvNextBackbone backbone;
    readonly Module<Tensor, Tensor> pooling;
#pragma warning restore IDE1006

    /// <summary>The options this encoder was built from.</summary>
    public GlobalEncoderOptions Options { get; }

    /// <summary>Creates the encoder.</summary>
    public GlobalEncoder(GlobalEncoderOptions options) : base(nameof(GlobalEncoder))
    {
        Options = options;
        backbone = new ConvNextBackbone(options.InputChannels, options.Dim, options.IntermediateDim, options.NumLayers, skipEmbed: options.SkipEmbed);
        pooling = options.UseAttnPool
            ? new AttentiveStatsPool(options.Dim, options.OutputChannels, options.AttentionChannels)
            : Sequential(AdaptiveAvgPool1d(1), Flatten(1), new Dense(options.Dim, options.OutputChannels), LayerNorm(options.OutputChannels));
        RegisterComponents();
    }

    /// <summary>(B, T, C) -> (B, output_channels).</summary>
    public override Tensor forward(Tensor x) => forward(x, null);

    /// <summary>(B, T, C) -> (B, output_channels); <paramref name="validFrames"/> (B, T) for padded batches.</summary>
    public Tensor forward(Tensor x, Tensor? validFrames)
    {
        using var scope = NewDisposeScope();
        var features = backbone.forward(x, validFrames).transpose(1, 2); // (B, T, C) -> (B, C, T)
        Tensor pooled;
        if (pooling is AttentiveStatsPool attentive) pooled = attentive.forward(features, validFrames);
        else if (validFrames is null) pooled = pooling.call(features);
        else
        {
            // Average pooling over real frames only, then the same projection and norm.
            var keep = validFrames.unsqueeze(1).to(features.dtype); // (B, 1, T)
            var mean = (features * keep).sum(2) / keep.sum(2);
            var sequential = (Sequential)pooling;
            pooled = ((Module<Tensor, Tensor>)sequential[3]).call(((Module<Tensor, Tensor>)sequential[2]).call(mean));
        }
        return pooled.MoveToOuterDisposeScope();
    }
}
