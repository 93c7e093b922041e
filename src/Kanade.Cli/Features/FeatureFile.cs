using System.Globalization;
using System.Text.Json;
using Kanade.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Cli.Features;

/// <summary>
/// The file <c>kanade encode</c> writes and <c>kanade decode</c> reads: <c>content_token_indices</c> (int64, T),
/// <c>content_embedding</c> (T, D) and <c>global_embedding</c> (D) as a safetensors file (with string metadata) or a
/// JSON object of the same names (numbers; a hand-written or generated file may give tokens and the global
/// embedding alone).
/// </summary>
internal static class FeatureFile
{
    public const string Tokens = "content_token_indices";
    public const string ContentEmbedding = "content_embedding";
    public const string GlobalEmbedding = "global_embedding";

    /// <summary>Writes <paramref name="features"/> (any device) to a .safetensors or .json file.</summary>
    public static void Write(string path, KanadeFeatures features, IReadOnlyDictionary<string, string> metadata)
    {
        var tensors = new Dictionary<string, Tensor>();
        if (features.ContentTokenIndices is { } tokens) tensors[Tokens] = tokens.cpu();
        if (features.ContentEmbedding is { } content) tensors[ContentEmbedding] = content.cpu();
        if (features.GlobalEmbedding is { } global) tensors[GlobalEmbedding] = global.cpu();
        if (Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase)) WriteJson(path, tensors, metadata);
        else SafeTensors.Save(path, tensors, metadata);
    }

    static void WriteJson(string path, Dictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata) => AtomicFile.Write(path, temporary =>
    {
        using var stream = File.Create(temporary);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        foreach (var (key, value) in metadata) json.WriteString(key, value);
        if (tensors.TryGetValue(Tokens, out var tokens))
        {
            json.WriteStartArray(Tokens);
            foreach (long id in tokens.data<long>()) json.WriteNumberValue(id);
            json.WriteEndArray();
        }
        if (tensors.TryGetValue(ContentEmbedding, out var content))
        {
            json.WriteStartArray(ContentEmbedding);
            long width = content.shape[1];
            float[] values = content.contiguous().data<float>().ToArray();
            for (long row = 0; row < content.shape[0]; row++)
            {
                json.WriteStartArray();
                for (long column = 0; column < width; column++) json.WriteNumberValue(values[row * width + column]);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        if (tensors.TryGetValue(GlobalEmbedding, out var global))
        {
            json.WriteStartArray(GlobalEmbedding);
            foreach (float value in global.data<float>()) json.WriteNumberValue(value);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    });

    /// <summary>Reads a features file; parts it lacks are null. Errors name the file and the entry.</summary>
    public static KanadeFeatures Read(string path)
    {
        if (!Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            var tensors = SafeTensors.Load(path);
            if (!tensors.ContainsKey(GlobalEmbedding) || !(tensors.ContainsKey(Tokens) || tensors.ContainsKey(ContentEmbedding)))
                throw new InvalidDataException($"Features file '{path}' needs '{GlobalEmbedding}' and '{Tokens}' or '{ContentEmbedding}'; " +
                                               $"found [{string.Join(", ", tensors.Keys)}].");
            return new KanadeFeatures(tensors.GetValueOrDefault(Tokens)?.to(ScalarType.Int64), tensors.GetValueOrDefault(ContentEmbedding),
                tensors.GetValueOrDefault(GlobalEmbedding));
        }
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"Features file '{path}' must hold a JSON object.");
        Tensor? indices = root.TryGetProperty(Tokens, out var t) ? tensor(Numbers(t, path, Tokens).Select(e => e.GetInt64()).ToArray()) : null;
        Tensor? content = null;
        if (root.TryGetProperty(ContentEmbedding, out var c))
        {
            if (c.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"Features file '{path}': '{ContentEmbedding}' must be an array of rows.");
            var rows = c.EnumerateArray().Select(r => Numbers(r, path, ContentEmbedding).Select(e => e.GetSingle()).ToArray()).ToList();
            if (rows.Count == 0 || rows.Any(r => r.Length != rows[0].Length))
                throw new InvalidDataException($"Features file '{path}': '{ContentEmbedding}' must be a non-empty array of rows of equal length.");
            content = tensor(rows.SelectMany(r => r).ToArray(), [rows.Count, rows[0].Length]);
        }
        if (!root.TryGetProperty(GlobalEmbedding, out var g))
            throw new InvalidDataException($"Features file '{path}' has no '{GlobalEmbedding}'.");
        var global = tensor(Numbers(g, path, GlobalEmbedding).Select(e => e.GetSingle()).ToArray());
        if (indices is null && content is null)
            throw new InvalidDataException($"Features file '{path}' needs '{Tokens}' or '{ContentEmbedding}'.");
        return new KanadeFeatures(indices, content, global);
    }

    static JsonElement[] Numbers(JsonElement element, string path, string name)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"Features file '{path}': '{name}' must be an array of numbers, got {element.ValueKind}.");
        return [.. element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e
            : throw new InvalidDataException($"Features file '{path}': '{name}' holds {e.ValueKind}, expected numbers."))];
    }

    /// <summary>The metadata <c>kanade encode</c> stores: where the features came from and the model's rates.</summary>
    public static Dictionary<string, string> Metadata(KanadeModel model, string source, long samples) => new()
    {
        ["source"] = source,
        ["sample_rate"] = model.Config.SampleRate.ToString(CultureInfo.InvariantCulture),
        ["audio_length"] = samples.ToString(CultureInfo.InvariantCulture),
        ["token_rate"] = model.TokenRate.ToString("R", CultureInfo.InvariantCulture),
    };
}
