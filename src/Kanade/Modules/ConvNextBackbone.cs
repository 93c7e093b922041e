// Port of kanade-tokenizer module/convnext.py ConvNextBackbone (MIT; after Vocos).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>Conv1d embedding, LayerNorm, ConvNeXt blocks, final LayerNorm and optional projection.</summary>
public sealed class ConvNextBackbone : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // checkpoint names
    readonly Module<Tensor, Tensor> embed;
    readonly LayerNorm norm;
    readonly ModuleList<ConvNeXtBlock> convnext;
    readonly Module<Tensor, Tensor> proj_out;
    readonly LayerNorm final_layer_norm;
#pragma warning restore IDE1006

    /// <summary>Output width.</summary>
    public int OutputDim { get; }

    /// <summary>Creates the backbone; the layer scale defaults to 1 / <paramref name="numLayers"/> as in the reference.</summary>
    public ConvNextBackbone(int inputChannels, int dim, int intermediateDim, int numLayers,
                            int? outputChannels = null, double? layerScaleInitValue = null, bool skipEmbed = false)
        : base(nameof(ConvNextBackbone))
    {
        embed = skipEmbed ? Identity() : Conv1d(inputChannels, dim, kernel_size: 7, padding: 3);
        norm = LayerNorm(dim, 1e-6);
        double scale = layerScaleInitValue is double v && v != 0 ? v : 1.0 / numLayers;
        convnext = new ModuleList<ConvNeXtBlock>(Enumerable.Range(0, numLayers).Select(_ => new ConvNeXtBlock(dim, intermediateDim, scale)).ToArray());
        proj_out = outputChannels is int o && o > 0 ? new Dense(dim, o) : Identity();
        final_layer_norm = LayerNorm(dim, 1e-6);
        OutputDim = outputChannels is int oc && oc > 0 ? oc : dim;
        RegisterComponents();
    }

    /// <summary>(B, T, C_in) -> (B, T, output_dim).</summary>
    public override Tensor forward(Tensor x) => forward(x, null);

    /// <summary>(B, T, C_in) -> (B, T, output_dim); <paramref name="validFrames"/> (B, T) zeroes padded frames before every convolution.</summary>
    public Tensor forward(Tensor x, Tensor? validFrames)
    {
        using var scope = NewDisposeScope();
        var keep = validFrames?.unsqueeze(1).to(x.dtype); // (B, T) -> (B, 1, T)
        var h = x.transpose(1, 2); // (B, T, C) -> (B, C, T)
        if (keep is not null) h = h * keep;
        h = embed.call(h);
        h = norm.call(h.transpose(1, 2)).transpose(1, 2); // LayerNorm over channels
        foreach (var block in convnext)
        {
            // Padded frames must read as zeros, as the single-utterance convolution's zero padding does.
            if (keep is not null) h = h * keep;
            h = block.call(h);
        }
        h = final_layer_norm.call(h.transpose(1, 2)); // (B, C, T) -> (B, T, C)
        return proj_out.call(h).MoveToOuterDisposeScope();
    }
}
