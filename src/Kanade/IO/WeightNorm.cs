// Weight norm stores a weight as a magnitude g and a direction v, under two naming conventions: the old
// torch.nn.utils.weight_norm (NAME_g, NAME_v) and the parametrization API (parametrizations.NAME.original0/1).
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>Matches the weight-norm names of a state dict to those a module expects, and folds g and v into a plain weight.</summary>
public static class WeightNorm
{
    const string Parametrizations = ".parametrizations.";

    /// <summary>
    /// Renames weight-norm tensors of <paramref name="stateDict"/> to the convention of <paramref name="expectedNames"/>
    /// (the module's state-dict names): <c>X.weight_g</c>/<c>X.weight_v</c> become
    /// <c>X.parametrizations.weight.original0</c>/<c>original1</c> or the reverse; and when the module expects a plain
    /// <c>X.weight</c> (weight norm folded for inference), g and v are folded into it (<see cref="Fold"/>).
    /// Every other entry passes through. Renamed entries are the same tensor objects; folded weights are new tensors.
    /// </summary>
    public static Dictionary<string, Tensor> MatchNames(IReadOnlyDictionary<string, Tensor> stateDict, IEnumerable<string> expectedNames)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var expected = expectedNames as IReadOnlySet<string> ?? expectedNames.ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var folded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in stateDict)
        {
            if (expected.Contains(name) || !TryParse(name, out var parameter, out bool isMagnitude))
            {
                result[name] = tensor;
                continue;
            }
            var (oldName, newName) = parameter.Names(isMagnitude);
            if (expected.Contains(newName)) result[newName] = tensor;
            else if (expected.Contains(oldName)) result[oldName] = tensor;
            else if (expected.Contains(parameter.Plain) && TryFindPair(stateDict, parameter, out var g, out var v))
            {
                if (folded.Add(parameter.Plain)) result[parameter.Plain] = Fold(g, v);
            }
            else result[name] = tensor;
        }
        return result;
    }

    /// <summary>
    /// The weight that weight norm represents: <c>v * g / ||v||</c>, the norm taken over every dimension in which
    /// <paramref name="magnitude"/> has size 1 (dim 0 kept for the default <c>weight_norm(dim=0)</c>, dim 2 for
    /// WavLM's positional convolution). <paramref name="magnitude"/> must have as many dimensions as
    /// <paramref name="direction"/>, or none (norm over everything).
    /// </summary>
    public static Tensor Fold(Tensor magnitude, Tensor direction)
    {
        ArgumentNullException.ThrowIfNull(magnitude);
        ArgumentNullException.ThrowIfNull(direction);
        if (magnitude.dim() != 0 && magnitude.dim() != direction.dim())
            throw new ArgumentException($"weight norm magnitude of shape [{string.Join(", ", magnitude.shape)}] does not match direction [{string.Join(", ", direction.shape)}].", nameof(magnitude));
        var dims = Enumerable.Range(0, (int)direction.dim())
            .Where(d => magnitude.dim() == 0 || magnitude.shape[d] == 1).Select(d => (long)d).ToArray();
        for (int d = 0; d < magnitude.dim(); d++)
            if (magnitude.shape[d] != 1 && magnitude.shape[d] != direction.shape[d])
                throw new ArgumentException($"weight norm magnitude of shape [{string.Join(", ", magnitude.shape)}] does not match direction [{string.Join(", ", direction.shape)}].", nameof(magnitude));
        using var scope = NewDisposeScope();
        var norm = dims.Length == 0 ? direction.abs() : direction.pow(2).sum(dims, keepdim: true).sqrt();
        return (direction * (magnitude / norm)).MoveToOuterDisposeScope();
    }

    /// <summary>A weight-normed parameter: the module path and the parameter name (usually <c>weight</c>).</summary>
    readonly record struct Parameter(string Module, string Name)
    {
        string Prefix => Module.Length == 0 ? "" : Module + ".";
        public string Plain => Prefix + Name;
        public (string Old, string New) Names(bool magnitude) =>
            (Prefix + Name + (magnitude ? "_g" : "_v"), Prefix + "parametrizations." + Name + (magnitude ? ".original0" : ".original1"));
    }

    static bool TryParse(string name, out Parameter parameter, out bool isMagnitude)
    {
        parameter = default;
        isMagnitude = false;
        int at = name.LastIndexOf(Parametrizations, StringComparison.Ordinal);
        if (at >= 0 || name.StartsWith("parametrizations.", StringComparison.Ordinal))
        {
            string module = at >= 0 ? name[..at] : "";
            string rest = at >= 0 ? name[(at + Parametrizations.Length)..] : name["parametrizations.".Length..];
            int dot = rest.LastIndexOf('.');
            if (dot <= 0) return false;
            string which = rest[(dot + 1)..];
            if (which is not ("original0" or "original1")) return false;
            parameter = new Parameter(module, rest[..dot]);
            isMagnitude = which == "original0";
            return true;
        }
        if (!name.EndsWith("_g", StringComparison.Ordinal) && !name.EndsWith("_v", StringComparison.Ordinal)) return false;
        int lastDot = name.LastIndexOf('.');
        string leaf = name[(lastDot + 1)..^2];
        if (leaf.Length == 0) return false;
        parameter = new Parameter(lastDot < 0 ? "" : name[..lastDot], leaf);
        isMagnitude = name.EndsWith("_g", StringComparison.Ordinal);
        return true;
    }

    static bool TryFindPair(IReadOnlyDictionary<string, Tensor> stateDict, Parameter parameter, out Tensor g, out Tensor v)
    {
        var (oldG, newG) = parameter.Names(true);
        var (oldV, newV) = parameter.Names(false);
        if (stateDict.TryGetValue(newG, out g!) && stateDict.TryGetValue(newV, out v!)) return true;
        if (stateDict.TryGetValue(oldG, out g!) && stateDict.TryGetValue(oldV, out v!)) return true;
        g = v = null!;
        return false;
    }
}
