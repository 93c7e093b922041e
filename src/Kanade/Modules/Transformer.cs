// Port of kanade-tokenizer module/transformer.py Transformer (MIT; after Llama 3).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>
/// Stack of pre-norm blocks with local-window attention, RoPE, SwiGLU and LayerNorm or AdaLN-Zero, between optional
/// input and output projections. Used for the local encoder, feature decoder, mel prenet and mel decoder.
/// </summary>
public sealed class Transformer : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // checkpoint names
    readonly ModuleList<TransformerBlock> layers;
    readonly Module norm;
    readonly Module<Tensor, Tensor> input_proj, output_proj;
#pragma warning restore IDE1006
    readonly RotaryEmbedding? rope;

    /// <summary>The options this stack was built from.</summary>
    public TransformerOptions Options { get; }
    /// <summary>Width of the output (output_dim, or dim without an output projection).</summary>
    public int OutputDim => Options.OutputDim ?? Options.Dim;

    /// <summary>Builds the stack (weights uninitialised beyond TorchSharp's defaults: load a checkpoint).</summary>
    public Transformer(TransformerOptions options) : base(nameof(Transformer))
    {
        Options = options;
        if (options.Dim % options.NHeads != 0)
            throw new ArgumentException($"Transformer dim {options.Dim} must divide by n_heads {options.NHeads}.", nameof(options));
        layers = new ModuleList<TransformerBlock>(Enumerable.Range(0, options.NLayers).Select(_ => new TransformerBlock(options)).ToArray());
        norm = options.UseAdalnZero
            ? new AdaLNZero(options.Dim, options.AdanormConditionDim ?? throw new ArgumentException("use_adaln_zero needs adanorm_condition_dim."), options.NormEps, returnGate: false)
            : LayerNorm(options.Dim, options.NormEps);
        input_proj = options.InputDim is int inputDim ? new Dense(inputDim, options.Dim) : Identity();
        output_proj = options.OutputDim is int outputDim ? new Dense(options.Dim, outputDim) : Identity();
        if (options.UseRope) rope = new RotaryEmbedding(options.Dim / options.NHeads, 2 * options.MaxSeqLen, options.RopeTheta);
        RegisterComponents();
    }

    /// <summary>(B, T, input_dim) -> (B, T, output_dim), unconditioned.</summary>
    public override Tensor forward(Tensor x) => forward(x, null, null);

    /// <summary>(B, T, input_dim) -> (B, T, output_dim).</summary>
    /// <param name="x">Input sequence (B, T, input_dim).</param>
    /// <param name="condition">(B, 1, C) AdaLN-Zero condition (required when the stack uses it).</param>
    /// <param name="validFrames">(B, T) boolean, true on real frames, for padded batches; null when every frame is real.</param>
    public Tensor forward(Tensor x, Tensor? condition, Tensor? validFrames)
    {
        using var scope = NewDisposeScope();
        if (Options.UseAdalnZero && condition is null)
            throw new ArgumentException("This Transformer uses AdaLN-Zero and needs a condition tensor (B, 1, C).", nameof(condition));
        var h = input_proj.call(x);
        var mask = AttentionMasks.Additive(h.shape[1], Options.WindowSize, Options.Causal, validFrames, h.dtype, h.device);
        foreach (var layer in layers) h = layer.forward(h, rope, mask, condition);
        h = norm is AdaLNZero adaptive ? adaptive.call(h, condition!).Modulated : ((Module<Tensor, Tensor>)norm).call(h);
        return output_proj.call(h).MoveToOuterDisposeScope();
    }
}
