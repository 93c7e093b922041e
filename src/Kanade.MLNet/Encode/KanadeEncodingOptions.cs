// Options of KanadeEncode.
namespace Kanade.MLNet;

/// <summary>Options of <see cref="KanadeCatalog.KanadeEncode(Microsoft.ML.TransformsCatalog, KanadeModel, KanadeEncodingOptions)"/>.</summary>
public sealed class KanadeEncodingOptions : KanadeBatchingOptions
{
    /// <summary>Input: the waveform, a Vector&lt;Single&gt; at the model's sample rate (LoadAudio's output).</summary>
    public string InputColumnName = KanadeColumns.Waveform;

    /// <summary>
    /// Output: content tokens, a variable-length Vector&lt;Int32&gt; of ids in [0, vocabulary), or with
    /// <see cref="TokensAsKeys"/> a Vector&lt;Key&lt;UInt32, vocabulary&gt;&gt; (key k = token k - 1). Null for none.
    /// </summary>
    public string? TokensColumnName = KanadeColumns.Tokens;

    /// <summary>Output: the global embedding, a Vector&lt;Single, GlobalDim&gt; (128 for the published models). Null for none.</summary>
    public string? GlobalEmbeddingColumnName = KanadeColumns.GlobalEmbedding;

    /// <summary>Output: the quantized content embedding, a variable-length Vector&lt;Single&gt; (tokens x dim, row-major, the
    /// width in the <see cref="KanadeAnnotations.ContentDim"/> annotation). Null (the default) for none.</summary>
    public string? ContentEmbeddingColumnName;

    /// <summary>Tokens as an ML.NET key type of cardinality vocabulary (for key-aware trainers and transforms) instead of Int32.</summary>
    public bool TokensAsKeys;

    internal KanadeEncodingOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(InputColumnName, nameof(InputColumnName));
        ValidateBatching();
        string?[] outputs = [TokensColumnName, GlobalEmbeddingColumnName, ContentEmbeddingColumnName];
        var named = outputs.Where(o => o is not null).ToList();
        if (named.Count == 0)
            throw new ArgumentException("KanadeEncode needs at least one output column: TokensColumnName, GlobalEmbeddingColumnName or ContentEmbeddingColumnName.");
        if (named.Distinct().Count() != named.Count)
            throw new ArgumentException($"KanadeEncode's output columns must have distinct names; got {string.Join(", ", named.Select(n => $"'{n}'"))}.");
        return (KanadeEncodingOptions)MemberwiseClone();
    }
}
