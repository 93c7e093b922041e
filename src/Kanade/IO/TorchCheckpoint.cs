// Reads state dicts from torch.save files (.pt, .pth, .bin, Lightning .ckpt) without running any pickled code.
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>
/// Loads PyTorch checkpoints: plain state dicts (torchaudio's <c>wavlm_base_plus.pth</c>, Vocos'
/// <c>pytorch_model.bin</c>, CosyVoice's <c>hift.pt</c>) in the zip format of PyTorch 1.6+ or the legacy format,
/// and Lightning <c>.ckpt</c> files (their <c>state_dict</c> entry). The pickle is read by a reader that only
/// rebuilds tensors, storages and plain containers; nothing in the file is ever executed, a file that asks to call
/// code (<c>os.system</c>, <c>eval</c>, ...) is refused, and only the selected tensors are read from disk.
/// </summary>
public static class TorchCheckpoint
{
    const string CompileWrapper = "_orig_mod.";

    /// <summary>
    /// Loads the state dict of <paramref name="path"/>: the top-level dict of tensors, or a Lightning checkpoint's
    /// <c>state_dict</c>. <c>_orig_mod.</c> segments left by <c>torch.compile</c> are removed from every name.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, is not a state dict, or asks to run code.</exception>
    /// <exception cref="NotSupportedException">The file is valid but uses something TorchSharp lacks (quantized or 8-bit float storages, big-endian data, TorchScript).</exception>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, WeightLoadOptions.All);

    /// <summary>Loads the tensors of the state dict that <paramref name="options"/> selects (see <see cref="Load(string)"/>).</summary>
    /// <param name="path">The checkpoint.</param>
    /// <param name="options">Selection (prefix, filter) and dtype conversion; applied after <c>_orig_mod.</c> is removed.</param>
    /// <param name="stateDictKey">The top-level entry holding the state dict (e.g. <c>model</c> or <c>generator</c>
    /// of a training checkpoint); null finds it: the top level itself, or its <c>state_dict</c> entry.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, is not a state dict, or asks to run code.</exception>
    /// <exception cref="NotSupportedException">The file uses something TorchSharp lacks.</exception>
    public static Dictionary<string, Tensor> Load(string path, WeightLoadOptions options, string? stateDictKey = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var reader = new TorchCheckpointReader(path);
        var stateDict = StateDictOf(reader, stateDictKey);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (storedName, tensor) in stateDict)
            {
                if (options.Select(RemoveCompileWrappers(storedName)) is not { } name) continue;
                result[name] = options.Convert(reader.Materialize(tensor, storedName));
            }
        }
        catch
        {
            foreach (var tensor in result.Values) tensor.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>
    /// Loads one component of a Lightning checkpoint: the <c>state_dict</c> names under <paramref name="prefix"/>
    /// (the reference pipeline's <c>model.</c> or <c>discriminator.</c>), with the prefix and <c>_orig_mod.</c> removed.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a Lightning checkpoint, or holds nothing under the prefix.</exception>
    public static Dictionary<string, Tensor> LoadLightning(string path, string prefix, WeightLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var selected = (options ?? WeightLoadOptions.All) with { Prefix = prefix };
        var result = Load(path, selected, stateDictKey: "state_dict");
        if (result.Count == 0 && selected.Include is null)
            throw new InvalidDataException($"'{path}': its state_dict has no tensor under '{prefix}' (after removing {CompileWrapper}).");
        return result;
    }

    /// <summary>Reads the outline of a checkpoint: top-level keys, scalar entries and the state dict's tensor names, dtypes and shapes; no tensor data is read.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or asks to run code.</exception>
    public static TorchCheckpointInfo ReadInfo(string path)
    {
        using var reader = new TorchCheckpointReader(path);
        var keys = new List<string>();
        var scalars = new Dictionary<string, object>(StringComparer.Ordinal);
        if (reader.Root is PickleDict root)
        {
            foreach (var (key, value) in root)
            {
                string name = key as string ?? key.ToString() ?? "";
                keys.Add(name);
                if (value is long or double or string or bool or System.Numerics.BigInteger) scalars[name] = value;
            }
        }
        IReadOnlyList<TorchTensorInfo> tensors = [];
        if (TryStateDictOf(reader.Root, null, out var stateDict, out _))
        {
            tensors = stateDict.Select(e =>
            {
                e.Tensor.CheckBounds(path, e.Name);
                return new TorchTensorInfo(e.Name, e.Tensor.DType, e.Tensor.Size);
            }).ToList();
        }
        return new TorchCheckpointInfo(path, reader.Format, keys, scalars, tensors);
    }

    /// <summary>Removes the <c>_orig_mod.</c> segments that <c>torch.compile</c> wrappers add to state-dict names.</summary>
    public static string RemoveCompileWrappers(string name)
    {
        if (!name.Contains(CompileWrapper, StringComparison.Ordinal)) return name;
        var parts = name.Split('.');
        return string.Join('.', parts.Where(p => p != CompileWrapper[..^1]));
    }

    static List<(string Name, TorchTensorRef Tensor)> StateDictOf(TorchCheckpointReader reader, string? key)
    {
        if (TryStateDictOf(reader.Root, key, out var stateDict, out string? problem)) return Deduplicated(stateDict, reader.Path);
        throw new InvalidDataException($"'{reader.Path}' {problem}");
    }

    static bool TryStateDictOf(object? root, string? key, out List<(string Name, TorchTensorRef Tensor)> stateDict, out string? problem)
    {
        stateDict = [];
        problem = null;
        if (root is not PickleDict top)
        {
            problem = root switch
            {
                PickleObject obj => $"holds a pickled {obj.Type} object (a whole model?), not a state dict; save model.state_dict() with torch.save instead.",
                TorchTensorRef => "holds a single tensor, not a state dict.",
                _ => $"holds a {PickleMachine.Describe(root)}, not a state dict.",
            };
            return false;
        }
        var dict = top;
        if (key is not null)
        {
            if (!top.TryGet(key, out var inner) || inner is not PickleDict innerDict)
            {
                problem = $"has no '{key}' dict entry; its top-level keys are {KeyList(top)}.";
                return false;
            }
            dict = innerDict;
        }
        else if (top.TryGet("state_dict", out var lightning) && lightning is PickleDict lightningDict)
            dict = lightningDict;

        var offending = new List<string>();
        foreach (var (name, value) in dict)
        {
            if (name is string s && value is TorchTensorRef tensor) stateDict.Add((s, tensor));
            else offending.Add($"'{name}' ({PickleMachine.Describe(value)})");
        }
        if (offending.Count == 0) return true;
        problem = $"is not a state dict of tensors: {string.Join(", ", offending.Take(8))}{(offending.Count > 8 ? $" and {offending.Count - 8} more" : "")} "
                + "are not tensors. For a training checkpoint, name the entry that holds the weights (stateDictKey).";
        return false;
    }

    static List<(string Name, TorchTensorRef Tensor)> Deduplicated(List<(string Name, TorchTensorRef Tensor)> stateDict, string path)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _) in stateDict)
        {
            string clean = RemoveCompileWrappers(name);
            if (!seen.TryAdd(clean, name))
                throw new InvalidDataException($"'{path}': '{seen[clean]}' and '{name}' both become '{clean}' once {CompileWrapper} is removed.");
        }
        return stateDict;
    }

    static string KeyList(PickleDict dict) => "[" + string.Join(", ", dict.Select(kv => kv.Key.ToString()).Take(12)) + "]";
}
