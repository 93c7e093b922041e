// Port of kanade-tokenizer module/fsq.py FiniteScalarQuantizer (MIT).
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>FSQ between two linear projections: encoder width -> len(levels) -> content embedding width.</summary>
public sealed class FiniteScalarQuantizer : Module<Tensor, (Tensor Quantized, Tensor Indices)>
{
#pragma warning disable IDE1006 // checkpoint names
    readonly Fsq fsq;
    readonly Module<Tensor, Tensor> proj_in, proj_out;
#pragma warning restore IDE1006

    /// <summary>The options this quantizer was built from.</summary>
    public FiniteScalarQuantizerOptions Options { get; }
    /// <summary>Vocabulary size (12,800 for levels 8,8,8,5,5).</summary>
    public long CodebookSize => fsq.CodebookSize;
    /// <summary>The bare quantizer.</summary>
    public Fsq Quantizer => fsq;

    /// <summary>Creates the quantizer.</summary>
    public FiniteScalarQuantizer(FiniteScalarQuantizerOptions options) : base(nameof(FiniteScalarQuantizer))
    {
        Options = options;
        fsq = new Fsq(options.Levels);
        int d = options.Levels.Count;
        proj_in = options.InputDim != d ? new Dense(options.InputDim, d) : Identity();
        proj_out = options.OutputDim != d ? new Dense(d, options.OutputDim) : Identity();
        RegisterComponents();
    }

    /// <summary>z (B, T, input_dim) -> (quantized embedding (B, T, output_dim), indices (B, T)).</summary>
    public override (Tensor Quantized, Tensor Indices) forward(Tensor z) => Encode(z);

    /// <summary>z (B, T, input_dim) -> (quantized embedding (B, T, output_dim) or codes when <paramref name="skipProjection"/>, indices (B, T)).</summary>
    public (Tensor Quantized, Tensor Indices) Encode(Tensor z, bool skipProjection = false)
    {
        using var scope = NewDisposeScope();
        var (codes, indices) = fsq.call(proj_in.call(z));
        var quantized = skipProjection ? codes : proj_out.call(codes);
        return (quantized.MoveToOuterDisposeScope(), indices.MoveToOuterDisposeScope());
    }

    /// <summary>Indices (...) -> content embedding (..., output_dim). Throws when an index is outside [0, vocabulary).</summary>
    public Tensor Decode(Tensor indices)
    {
        using var scope = NewDisposeScope();
        if (indices.numel() > 0)
        {
            long min = indices.min().item<long>(), max = indices.max().item<long>();
            if (min < 0 || max >= CodebookSize)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Content token ids must lie in [0, {CodebookSize}); got values from {min} to {max}.");
        }
        return proj_out.call(fsq.IndicesToCodes(indices)).MoveToOuterDisposeScope();
    }

    /// <summary>Perplexity of the index distribution (exp of its entropy), as the reference logs it.</summary>
    public static Tensor Perplexity(Tensor indices)
    {
        using var scope = NewDisposeScope();
        var flat = indices.reshape(-1);
        var (_, _, counts) = torch.unique(flat, return_counts: true);
        var probabilities = counts!.to(ScalarType.Float32) / flat.numel();
        var entropy = -(probabilities * (probabilities + 1e-10).log()).sum(-1);
        return entropy.exp().MoveToOuterDisposeScope();
    }
}
