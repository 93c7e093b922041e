// Name correspondence between Hugging Face transformers' WavLMModel (microsoft/wavlm-base-plus) and torchaudio's
// wavlm_model, as torchaudio's models/wav2vec2/utils/import_huggingface.py defines it (BSD-2).
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>
/// Converts WavLM state dicts between Hugging Face names (<c>feature_projection.*</c>, <c>encoder.layers.N.attention.q_proj</c>,
/// <c>k_proj</c>, <c>v_proj</c>, ...) and the torchaudio names this codebase's WavLM uses
/// (<c>encoder.feature_projection.*</c>, <c>encoder.transformer.layers.N.attention.attention.in_proj_weight</c>, ...).
/// </summary>
public static partial class HuggingFaceWavLM
{
    [GeneratedRegex(@"^encoder\.layers\.(\d+)\.attention\.([qkv])_proj\.(weight|bias)$")]
    private static partial Regex HuggingFaceProjection();

    [GeneratedRegex(@"^encoder\.transformer\.layers\.(\d+)\.attention\.attention\.in_proj_(weight|bias)$")]
    private static partial Regex TorchaudioProjection();

    /// <summary>True when the names look like a Hugging Face WavLM/wav2vec 2.0 state dict rather than torchaudio's.</summary>
    public static bool IsHuggingFace(IEnumerable<string> names) =>
        names.Any(n => n.StartsWith("feature_projection.", StringComparison.Ordinal)
                    || n.StartsWith("wavlm.", StringComparison.Ordinal)
                    || n.Contains(".attention.q_proj.", StringComparison.Ordinal));

    /// <summary>
    /// Hugging Face names to torchaudio names: a leading <c>wavlm.</c> is dropped, q/k/v projections are concatenated
    /// (in that order, along dim 0) into <c>in_proj_weight</c>/<c>in_proj_bias</c>, the positional convolution's
    /// <c>weight_g</c>/<c>weight_v</c> become <c>parametrizations.weight.original0</c>/<c>original1</c>,
    /// <c>lm_head</c> becomes <c>aux</c>, and <c>masked_spec_embed</c> (used only for pre-training) is dropped.
    /// Names it does not know pass through. Concatenated tensors are new; the others are the caller's objects.
    /// </summary>
    /// <exception cref="InvalidDataException">A layer has some but not all of its q/k/v projections.</exception>
    public static Dictionary<string, Tensor> ToTorchaudio(IReadOnlyDictionary<string, Tensor> huggingFace)
    {
        ArgumentNullException.ThrowIfNull(huggingFace);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var projections = new SortedDictionary<(int Layer, string Kind), Dictionary<char, Tensor>>();
        foreach (var (stored, tensor) in huggingFace)
        {
            string name = stored.StartsWith("wavlm.", StringComparison.Ordinal) ? stored["wavlm.".Length..] : stored;
            if (name == "masked_spec_embed") continue;
            var match = HuggingFaceProjection().Match(name);
            if (match.Success)
            {
                var key = (int.Parse(match.Groups[1].Value), match.Groups[3].Value);
                if (!projections.TryGetValue(key, out var parts)) projections[key] = parts = [];
                parts[match.Groups[2].Value[0]] = tensor;
                continue;
            }
            result[RenameToTorchaudio(name)] = tensor;
        }
        foreach (var ((layer, kind), parts) in projections)
        {
            if (!parts.TryGetValue('q', out var q) || !parts.TryGetValue('k', out var k) || !parts.TryGetValue('v', out var v))
                throw new InvalidDataException(
                    $"Hugging Face WavLM layer {layer} has {string.Join(", ", parts.Keys.Select(c => c + "_proj." + kind))} but not all of q_proj, k_proj, v_proj.");
            result[$"encoder.transformer.layers.{layer}.attention.attention.in_proj_{kind}"] = cat([q, k, v], 0);
        }
        return result;
    }

    /// <summary>
    /// torchaudio names to Hugging Face <c>WavLMModel</c> names: <c>in_proj_weight</c>/<c>in_proj_bias</c> are split
    /// into q, k, v thirds; the rest is renamed back (weight norm keeps the parametrization names that current
    /// transformers versions use). Split tensors are views of the caller's tensors.
    /// </summary>
    public static Dictionary<string, Tensor> ToHuggingFace(IReadOnlyDictionary<string, Tensor> torchaudio)
    {
        ArgumentNullException.ThrowIfNull(torchaudio);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in torchaudio)
        {
            var match = TorchaudioProjection().Match(name);
            if (match.Success)
            {
                if (tensor.shape[0] % 3 != 0)
                    throw new InvalidDataException($"'{name}' has {tensor.shape[0]} rows, not a multiple of 3 (q, k, v).");
                var thirds = tensor.chunk(3, 0);
                string layer = match.Groups[1].Value, kind = match.Groups[2].Value;
                result[$"encoder.layers.{layer}.attention.q_proj.{kind}"] = thirds[0];
                result[$"encoder.layers.{layer}.attention.k_proj.{kind}"] = thirds[1];
                result[$"encoder.layers.{layer}.attention.v_proj.{kind}"] = thirds[2];
                continue;
            }
            result[RenameToHuggingFace(name)] = tensor;
        }
        return result;
    }

    static string RenameToTorchaudio(string name)
    {
        if (name.StartsWith("feature_projection.", StringComparison.Ordinal)) return "encoder." + name;
        if (name.StartsWith("lm_head.", StringComparison.Ordinal)) return "aux." + name["lm_head.".Length..];
        if (!name.StartsWith("encoder.", StringComparison.Ordinal)) return name;
        string rest = name["encoder.".Length..];
        rest = rest.Replace("pos_conv_embed.conv.weight_g", "pos_conv_embed.conv.parametrizations.weight.original0", StringComparison.Ordinal)
                   .Replace("pos_conv_embed.conv.weight_v", "pos_conv_embed.conv.parametrizations.weight.original1", StringComparison.Ordinal);
        rest = Regex.Replace(rest, @"^(layers\.\d+\.attention\.)out_proj\.", "$1attention.out_proj.");
        return "encoder.transformer." + rest;
    }

    static string RenameToHuggingFace(string name)
    {
        if (name.StartsWith("encoder.feature_projection.", StringComparison.Ordinal)) return name["encoder.".Length..];
        if (name.StartsWith("aux.", StringComparison.Ordinal)) return "lm_head." + name["aux.".Length..];
        if (!name.StartsWith("encoder.transformer.", StringComparison.Ordinal)) return name;
        string rest = name["encoder.transformer.".Length..];
        rest = Regex.Replace(rest, @"^(layers\.\d+\.attention\.)attention\.out_proj\.", "$1out_proj.");
        return "encoder." + rest;
    }
}
