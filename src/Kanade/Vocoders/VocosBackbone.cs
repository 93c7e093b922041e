// Port of Vocos models.py VocosBackbone (MIT).
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>
/// Vocos' backbone: Conv1d embedding (kernel 7), LayerNorm (or AdaLayerNorm), ConvNeXt blocks, final LayerNorm.
/// (B, input_channels, T) -> (B, T, dim).
/// </summary>
public sealed class VocosBackbone : Module<Tensor, Tensor?, Tensor>
{
#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint's tensor names.
    readonly Conv1d embed;
    readonly Module norm;
    readonly ModuleList<VocosConvNeXtBlock> convnext;
    readonly LayerNorm final_layer_norm;
#pragma warning restore IDE1006

    /// <summary>Builds the backbone from its <c>init_args</c>.</summary>
    public VocosBackbone(VocosBackboneOptions options) : base(nameof(VocosBackbone))
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.InputChannels < 1 || options.Dim < 1 || options.IntermediateDim < 1 || options.NumLayers < 1)
            throw new ArgumentException(
                $"VocosBackbone: input_channels ({options.InputChannels}), dim ({options.Dim}), intermediate_dim "
                + $"({options.IntermediateDim}) and num_layers ({options.NumLayers}) must all be positive.", nameof(options));
        if (options.AdanormNumEmbeddings is < 1)
            throw new ArgumentException($"VocosBackbone: adanorm_num_embeddings must be positive or null; got {options.AdanormNumEmbeddings}.", nameof(options));
        Options = options;
        // Vocos reads `layer_scale_init_value or 1 / num_layers`: null and 0 both mean 1 / num_layers.
        double layerScale = options.LayerScaleInitValue is double v && v != 0 ? v : 1.0 / options.NumLayers;
        embed = Conv1d(options.InputChannels, options.Dim, 7, padding: 3);
        norm = options.AdanormNumEmbeddings is int classes
            ? new AdaLayerNorm(classes, options.Dim, eps: 1e-6)
            : LayerNorm(options.Dim, eps: 1e-6);
        convnext = new ModuleList<VocosConvNeXtBlock>(Enumerable.Range(0, options.NumLayers)
            .Select(_ => new VocosConvNeXtBlock(options.Dim, options.IntermediateDim, layerScale, options.AdanormNumEmbeddings))
            .ToArray());
        final_layer_norm = LayerNorm(options.Dim, eps: 1e-6);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public VocosBackboneOptions Options { get; }

    /// <summary>Whether the norms are AdaLayerNorm, so a conditioning (bandwidth) id is required.</summary>
    public bool IsConditioned => Options.AdanormNumEmbeddings is not null;

    /// <summary>(B, input_channels, T) -> (B, T, dim); <paramref name="bandwidthId"/> (B,) int64 selects the AdaLayerNorm class.</summary>
    public override Tensor forward(Tensor x, Tensor? bandwidthId)
    {
        if (IsConditioned && bandwidthId is null)
            throw new ArgumentNullException(nameof(bandwidthId), "This Vocos backbone uses AdaLayerNorm: pass a bandwidth id.");
        using var scope = NewDisposeScope();
        var h = embed.call(x).transpose(1, 2); // (B, C, T) -> (B, T, C)
        h = norm is AdaLayerNorm ada ? ada.call(h, bandwidthId!) : ((LayerNorm)norm).call(h);
        h = h.transpose(1, 2); // (B, T, C) -> (B, C, T)
        foreach (var block in convnext)
            h = block.call(h, bandwidthId);
        h = final_layer_norm.call(h.transpose(1, 2)); // (B, C, T) -> (B, T, C)
        return h.MoveToOuterDisposeScope();
    }
}
