// Recognises a checkpoint of the wrong vocoder before a strict load lists hundreds of missing tensors.
using static TorchSharp.torch;

namespace Kanade.Vocoders;

/// <summary>Checks on vocoder state dicts.</summary>
internal static class VocoderWeights
{
    /// <summary>
    /// Throws when <paramref name="state"/> holds none of <paramref name="vocoder"/>'s top-level modules but some of
    /// <paramref name="other"/>'s, naming what was expected, what was found, and the vocoder name to load it with.
    /// </summary>
    public static void RejectOtherVocoder(IReadOnlyDictionary<string, Tensor> state, string source,
        string vocoder, IReadOnlyList<string> expectedPrefixes, string other, IReadOnlyList<string> otherPrefixes, string otherName)
    {
        bool Has(IReadOnlyList<string> prefixes) => state.Keys.Any(k => prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)));
        if (Has(expectedPrefixes) || !Has(otherPrefixes)) return;
        var found = state.Keys.Select(k => k.Split('.')[0] + ".*").Distinct().Take(6);
        throw new InvalidDataException(
            $"Weights '{source}' are not {vocoder} weights: expected tensors under {string.Join(", ", expectedPrefixes.Select(p => p + "*"))}; "
            + $"found {string.Join(", ", found)}, which look like a {other} checkpoint. Load them with Vocoder.FromPretrained(\"{otherName}\", ...).");
    }
}
