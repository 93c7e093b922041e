// Loads a name -> tensor dictionary into a TorchSharp module, strictly by default: where the reference's
// load_state_dict(strict=False) lets a wrong checkpoint load silently, this names every tensor that does not fit.
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>Copies state dicts into modules, checking names, shapes and dtypes first.</summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads <paramref name="stateDict"/> into <paramref name="module"/>. Every name of the module's state dict
    /// (parameters and persistent buffers) is matched with the source; values are copied in place under no_grad
    /// (parameters stay the same autograd leaves, on their device), converted to the module's dtype.
    /// </summary>
    /// <returns>What was loaded and what did not match.</returns>
    /// <exception cref="WeightLoadException">Strict mode and something is missing, unexpected or mis-shaped; nothing was copied.</exception>
    public static LoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, StateDictLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stateDict);
        options ??= new StateDictLoadOptions();

        var target = module.state_dict();
        var nonPersistent = ModuleBuffers.NonPersistentNames(module);
        var source = options.MatchWeightNorm ? WeightNorm.MatchNames(stateDict, target.Keys) : stateDict.ToDictionary();
        try
        {
            var plan = Plan(module, target, nonPersistent, source, options);
            if (options.Strict && !plan.Report.IsComplete) throw new WeightLoadException(plan.Report);

            using (no_grad())
            {
                foreach (var (destination, value) in plan.Copies) destination.copy_(value);
            }
            return plan.Report;
        }
        finally
        {
            // Folded weight-norm weights are the only tensors made here.
            foreach (var (name, tensor) in source)
                if (!stateDict.TryGetValue(name, out var original) || !ReferenceEquals(original, tensor)) tensor.Dispose();
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> (<see cref="WeightFile"/>: safetensors or a PyTorch checkpoint, only the selected
    /// tensors) and loads it into <paramref name="module"/>; the file's tensors are disposed afterwards.
    /// </summary>
    /// <exception cref="WeightLoadException">Strict mode and something does not match; the message names the file.</exception>
    public static LoadReport LoadFile(nn.Module module, string path, StateDictLoadOptions? options = null, WeightLoadOptions? read = null)
    {
        var stateDict = WeightFile.Load(path, read ?? WeightLoadOptions.All);
        try
        {
            return Load(module, stateDict, (options ?? new StateDictLoadOptions()) with { SourceName = options?.SourceName ?? path });
        }
        finally
        {
            foreach (var tensor in stateDict.Values) tensor.Dispose();
        }
    }

    sealed record LoadPlan(LoadReport Report, List<(Tensor Destination, Tensor Value)> Copies);

    static LoadPlan Plan(nn.Module module, Dictionary<string, Tensor> target, HashSet<string> nonPersistent,
        IReadOnlyDictionary<string, Tensor> source, StateDictLoadOptions options)
    {
        var loaded = new List<string>();
        var unexpected = new List<(string, long[])>();
        var mismatched = new List<TensorMismatch>();
        var ignored = new List<string>();
        var suppliedNonPersistent = new List<string>();
        var copies = new List<(Tensor, Tensor)>();
        var buffers = options.CopyNonPersistentBuffers ? NonPersistentTensors(module) : null;

        foreach (var (name, value) in source)
        {
            if (StateDictLoadOptions.Matches(name, options.IgnoredPrefixes)) { ignored.Add(name); continue; }
            if (target.TryGetValue(name, out var destination))
            {
                if (Fits(destination, value)) { loaded.Add(name); copies.Add((destination, value)); }
                else mismatched.Add(new TensorMismatch(name, destination.shape, value.shape, destination.dtype, value.dtype));
                continue;
            }
            if (nonPersistent.Contains(name))
            {
                suppliedNonPersistent.Add(name);
                if (buffers is not null && buffers.TryGetValue(name, out var buffer))
                {
                    if (Fits(buffer, value)) copies.Add((buffer, value));
                    else mismatched.Add(new TensorMismatch(name, buffer.shape, value.shape, buffer.dtype, value.dtype));
                }
                continue;
            }
            unexpected.Add((name, value.shape));
        }

        var missing = new List<(string, long[])>();
        var absent = new List<string>();
        foreach (var (name, destination) in target)
        {
            if (source.ContainsKey(name)) continue;
            if (StateDictLoadOptions.Matches(name, options.AbsentPrefixes)) absent.Add(name);
            else missing.Add((name, destination.shape));
        }

        var report = new LoadReport(options.SourceName, module.GetType().Name,
            loaded, missing, unexpected, mismatched, absent, ignored, suppliedNonPersistent);
        return new LoadPlan(report, copies);
    }

    /// <summary>Same shape, and the same kind of dtype (floating, integer, bool, complex): copy_ converts within a kind.</summary>
    static bool Fits(Tensor destination, Tensor value) =>
        destination.shape.AsSpan().SequenceEqual(value.shape) && Kind(destination.dtype) == Kind(value.dtype);

    static int Kind(ScalarType type) =>
        type == ScalarType.Bool ? 0 : is_floating_point(type) ? 1 : is_complex(type) ? 2 : 3;

    /// <summary>The module's non-persistent buffers by dotted name (only needed when they are to be overwritten).</summary>
    static Dictionary<string, Tensor> NonPersistentTensors(nn.Module module)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (string name in ModuleBuffers.NonPersistentNames(module))
            if (module.get_buffer(name) is { } buffer) result[name] = buffer;
        return result;
    }
}
