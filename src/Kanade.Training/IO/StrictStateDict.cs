// Strict state-dict loading: what the reference's load_state_dict(strict=False) should have been.
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Training.IO;

/// <summary>Copies named tensors into a module, refusing any missing, unexpected or mis-shaped name.</summary>
public static class StrictStateDict
{
    const int ListedNames = 10;

    /// <summary>
    /// Copies every entry of <paramref name="weights"/> into the parameter or persistent buffer of
    /// <paramref name="module"/> with the same name (converting dtype, keeping the module's device).
    /// Nothing is copied unless the names and shapes match exactly.
    /// </summary>
    /// <param name="module">Destination.</param>
    /// <param name="weights">Name -> tensor.</param>
    /// <param name="source">What the weights came from (a path), for messages.</param>
    /// <exception cref="InvalidDataException">Names or shapes differ; the message lists them.</exception>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(weights);
        var destination = module.state_dict();
        var missing = destination.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var unexpected = weights.Keys.Where(k => !destination.ContainsKey(k)).ToList();
        var misShaped = destination
            .Where(kv => weights.TryGetValue(kv.Key, out var w) && !w.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key}: file [{string.Join(", ", weights[kv.Key].shape)}], module [{string.Join(", ", kv.Value.shape)}]")
            .ToList();
        if (missing.Count + unexpected.Count + misShaped.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add($"{missing.Count} missing ({List(missing)})");
            if (unexpected.Count > 0) problems.Add($"{unexpected.Count} unexpected ({List(unexpected)})");
            if (misShaped.Count > 0) problems.Add($"{misShaped.Count} mis-shaped ({List(misShaped)})");
            throw new InvalidDataException(
                $"'{source}' does not match {module.GetName()}: {string.Join("; ", problems)}. " +
                "Check that the file belongs to this configuration.");
        }
        using var _ = no_grad();
        foreach (var (name, target) in destination)
            target.copy_(weights[name]);
    }

    static string List(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(ListedNames)) + (names.Count > ListedNames ? $", ... {names.Count - ListedNames} more" : "");
}
