// Port of kanade-tokenizer module/transformer.py Transformer.__init__ arguments (MIT).
namespace Kanade.Modules;

/// <summary><c>init_args</c> of a reference <c>Transformer</c>; defaults are the reference's.</summary>
public sealed record TransformerOptions
{
    /// <summary>Model width.</summary>
    public int Dim { get; init; } = 4096;
    /// <summary>Number of blocks.</summary>
    public int NLayers { get; init; } = 32;
    /// <summary>Attention heads; <c>Dim</c> must divide by it.</summary>
    public int NHeads { get; init; } = 32;
    /// <summary>Bias on wq/wk/wv.</summary>
    public bool QkvBias { get; init; }
    /// <summary>Bias on wo.</summary>
    public bool ProjBias { get; init; }
    /// <summary>Odd local attention window (position i sees j when |i-j| &lt;= window/2); null for global attention.</summary>
    public int? WindowSize { get; init; }
    /// <summary>SwiGLU hidden size is rounded up to a multiple of this.</summary>
    public int MultipleOf { get; init; } = 256;
    /// <summary>Optional SwiGLU hidden-size multiplier.</summary>
    public double? FfnDimMultiplier { get; init; }
    /// <summary>Attention dropout, applied in training only.</summary>
    public double Dropout { get; init; } = 0.1;
    /// <summary>LayerNorm epsilon.</summary>
    public double NormEps { get; init; } = 1e-5;
    /// <summary>Rotary position embeddings.</summary>
    public bool UseRope { get; init; } = true;
    /// <summary>RoPE base.</summary>
    public double RopeTheta { get; init; } = 500000.0;
    /// <summary>The RoPE table covers 2 x this many positions; longer sequences recompute it.</summary>
    public int MaxSeqLen { get; init; } = 2048;
    /// <summary>Input projection width; null for none.</summary>
    public int? InputDim { get; init; }
    /// <summary>Output projection width; null for none.</summary>
    public int? OutputDim { get; init; }
    /// <summary>Condition width for AdaLN-Zero.</summary>
    public int? AdanormConditionDim { get; init; }
    /// <summary>Accepted for config compatibility; attention always runs through SDPA here.</summary>
    public bool UseFlashAttention { get; init; }
    /// <summary>AdaLN-Zero instead of LayerNorm.</summary>
    public bool UseAdalnZero { get; init; }
    /// <summary>Initialisation choice of the reference (training from scratch only).</summary>
    public bool UseXavierInit { get; init; } = true;
    /// <summary>Causal masking.</summary>
    public bool Causal { get; init; }
}
