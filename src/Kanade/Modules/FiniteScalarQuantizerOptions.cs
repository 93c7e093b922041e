// Port of kanade-tokenizer module/fsq.py FiniteScalarQuantizer.__init__ arguments (MIT).
namespace Kanade.Modules;

/// <summary><c>init_args</c> of a reference <c>FiniteScalarQuantizer</c>.</summary>
public sealed record FiniteScalarQuantizerOptions
{
    /// <summary>Width of the encoder output fed to <c>proj_in</c>.</summary>
    public int InputDim { get; init; }
    /// <summary>Width of the content embedding produced by <c>proj_out</c>.</summary>
    public int OutputDim { get; init; }
    /// <summary>Levels per FSQ dimension; the vocabulary is their product (8,8,8,5,5 = 12,800).</summary>
    public IReadOnlyList<int> Levels { get; init; } = [];
}
