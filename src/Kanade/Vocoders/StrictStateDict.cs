// Strict state-dict loading with an error that names every missing, unexpected and mis-shaped tensor.
using static TorchSharp.torch;

namespace Kanade.Vocoders;

/// <summary>
/// Loads a state dict into a module only when names and shapes match exactly; otherwise throws one message that lists
/// what is missing, unexpected and mis-shaped. (A stand-in until Kanade.IO has a shared strict loader.)
/// </summary>
internal static class StrictStateDict
{
    const int ListedNames = 8;

    /// <summary>Copies <paramref name="state"/> into <paramref name="module"/> or throws naming the differences.</summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="state">Checkpoint tensors by name, already in the module's naming.</param>
    /// <param name="source">The file the tensors came from, for the message.</param>
    /// <param name="what">What the module is ("Vocos", "HiFT"), for the message.</param>
    /// <param name="hint">An extra sentence for the message (e.g. "this looks like a HiFT checkpoint"), or null.</param>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> state, string source, string what, string? hint = null)
    {
        var expected = module.state_dict();
        var missing = expected.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var misshaped = expected.Where(e => state.TryGetValue(e.Key, out var t) && !t.shape.SequenceEqual(e.Value.shape))
            .Select(e => $"{e.Key}: file [{string.Join(", ", state[e.Key].shape)}], expected [{string.Join(", ", e.Value.shape)}]")
            .ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || misshaped.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"{missing.Count} missing ({List(missing)})");
            if (unexpected.Count > 0) parts.Add($"{unexpected.Count} unexpected ({List(unexpected)})");
            if (misshaped.Count > 0) parts.Add($"{misshaped.Count} with the wrong shape ({List(misshaped)})");
            throw new InvalidDataException(
                $"Weights '{source}' do not fit this {what} ({expected.Count} tensors expected): {string.Join("; ", parts)}."
                + (hint is null ? "" : " " + hint));
        }
        module.load_state_dict(state.ToDictionary(), strict: true);
    }

    static string List(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(ListedNames)) + (names.Count > ListedNames ? $", ... {names.Count - ListedNames} more" : "");
}
