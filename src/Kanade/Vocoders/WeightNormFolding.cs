// Weight norm (torch.nn.utils weight_norm / parametrizations.weight_norm) folded into plain weights for inference.
using static TorchSharp.torch;

namespace Kanade.Vocoders;

/// <summary>
/// Rewrites a state dict whose layers carry weight norm — <c>L.parametrizations.weight.original0/1</c> (PyTorch &gt;= 2.1)
/// or <c>L.weight_g/weight_v</c> (older) — into plain <c>L.weight = g · v / ‖v‖</c>, the norm taken over every dimension
/// where g has size 1 (all but dim 0 for PyTorch's default).
/// </summary>
internal static class WeightNormFolding
{
    const string ParametrizedMagnitude = ".parametrizations.weight.original0";
    const string ParametrizedDirection = ".parametrizations.weight.original1";
    const string LegacyMagnitude = ".weight_g";
    const string LegacyDirection = ".weight_v";

    /// <summary>The checkpoint names of a weight-normed layer's weight in the current PyTorch naming.</summary>
    public static (string Magnitude, string Direction) CheckpointNames(string layer) =>
        (layer + ParametrizedMagnitude, layer + ParametrizedDirection);

    /// <summary>
    /// A copy of <paramref name="state"/> with every weight-norm pair folded into <c>.weight</c>; other tensors are
    /// passed through. Throws naming the layer when only half of a pair is present or the shapes disagree.
    /// </summary>
    public static Dictionary<string, Tensor> Fold(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        var result = new Dictionary<string, Tensor>();
        var magnitudes = new Dictionary<string, Tensor>();
        var directions = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in state)
        {
            if (TryLayer(name, ParametrizedMagnitude, out var layer) || TryLayer(name, LegacyMagnitude, out layer))
                magnitudes[layer] = tensor;
            else if (TryLayer(name, ParametrizedDirection, out layer) || TryLayer(name, LegacyDirection, out layer))
                directions[layer] = tensor;
            else
                result[name] = tensor;
        }
        foreach (var layer in magnitudes.Keys.Union(directions.Keys))
        {
            if (!magnitudes.TryGetValue(layer, out var g) || !directions.TryGetValue(layer, out var v))
                throw new InvalidDataException(
                    $"Weights '{source}': layer '{layer}' has only half of its weight norm "
                    + $"({(magnitudes.ContainsKey(layer) ? "magnitude (original0 / weight_g)" : "direction (original1 / weight_v)")}, no "
                    + $"{(magnitudes.ContainsKey(layer) ? "direction" : "magnitude")}).");
            if (result.ContainsKey(layer + ".weight"))
                throw new InvalidDataException($"Weights '{source}': layer '{layer}' has both a plain weight and a weight-norm pair.");
            result[layer + ".weight"] = Combine(g, v, layer, source);
        }
        return result;
    }

    static Tensor Combine(Tensor g, Tensor v, string layer, string source)
    {
        if (g.dim() != v.dim() || Enumerable.Range(0, (int)g.dim()).Any(i => g.shape[i] != 1 && g.shape[i] != v.shape[i]))
            throw new InvalidDataException(
                $"Weights '{source}': weight norm of '{layer}' has magnitude [{string.Join(", ", g.shape)}] that does not "
                + $"broadcast against direction [{string.Join(", ", v.shape)}].");
        using var scope = NewDisposeScope();
        long[] reduced = Enumerable.Range(0, (int)v.dim()).Where(i => g.shape[i] == 1).Select(i => (long)i).ToArray();
        // In float64, so the folded weight is the exact product rounded once.
        var v64 = v.to(float64);
        var norm = reduced.Length == 0 ? v64.abs() : linalg.vector_norm(v64, 2, reduced, keepdim: true);
        var weight = v64 * (g.to(float64) / norm);
        return weight.to(v.dtype).MoveToOuterDisposeScope();
    }

    static bool TryLayer(string name, string suffix, out string layer)
    {
        bool match = name.EndsWith(suffix, StringComparison.Ordinal);
        layer = match ? name[..^suffix.Length] : "";
        return match;
    }
}
