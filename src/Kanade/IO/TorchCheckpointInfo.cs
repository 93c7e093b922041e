// What a PyTorch checkpoint holds, read without its tensor data (for `kanade info`).
using TorchSharp;

namespace Kanade.IO;

/// <summary>Name, dtype and shape of one tensor of a checkpoint's state dict.</summary>
/// <param name="Name">State-dict key, as stored (prefixes and <c>_orig_mod.</c> kept).</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Shape; empty for a scalar.</param>
public sealed record TorchTensorInfo(string Name, torch.ScalarType DType, long[] Shape);

/// <summary>The outline of a PyTorch checkpoint.</summary>
/// <param name="FilePath">The file.</param>
/// <param name="Format"><c>zip</c> (PyTorch 1.6+) or <c>legacy</c>.</param>
/// <param name="TopLevelKeys">Keys of the top-level dict (a Lightning checkpoint's <c>epoch</c>, <c>state_dict</c>, ...).</param>
/// <param name="Scalars">Top-level entries that are numbers, strings or booleans (<c>epoch</c>, <c>global_step</c>, versions).</param>
/// <param name="Tensors">The state dict's tensors (the top level, or its <c>state_dict</c> entry), in stored order.</param>
public sealed record TorchCheckpointInfo(
    string FilePath,
    string Format,
    IReadOnlyList<string> TopLevelKeys,
    IReadOnlyDictionary<string, object> Scalars,
    IReadOnlyList<TorchTensorInfo> Tensors);
