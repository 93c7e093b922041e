// Options of KanadeDecode.
namespace Kanade.MLNet;

/// <summary>Options of <see cref="KanadeCatalog.KanadeDecode(Microsoft.ML.TransformsCatalog, KanadeModel, KanadeDecodingOptions)"/>.</summary>
public sealed class KanadeDecodingOptions : KanadeBatchingOptions
{
    /// <summary>Input: content tokens, a Vector&lt;Int32&gt;, Vector&lt;Int64&gt; or Vector&lt;Key&lt;UInt32&gt;&gt; (KanadeEncode's output).</summary>
    public string TokensColumnName = KanadeColumns.Tokens;

    /// <summary>Input: the global embedding, a Vector&lt;Single&gt; of the model's GlobalDim.</summary>
    public string GlobalEmbeddingColumnName = KanadeColumns.GlobalEmbedding;

    /// <summary>
    /// Optional input: an Int32 or Int64 column with the waveform length (samples at the model's rate) to reconstruct;
    /// null to estimate it from the token count, as the reference's decode does.
    /// </summary>
    public string? AudioLengthColumnName;

    /// <summary>Output: the mel spectrogram, a variable-length Vector&lt;Single&gt; of n_mels x frames in row-major order
    /// (bin by bin), annotated with <see cref="KanadeAnnotations.MelBins"/>.</summary>
    public string MelColumnName = KanadeColumns.Mel;

    /// <summary>Output: the mel frame count (Int32); null for none.</summary>
    public string? MelFramesColumnName = KanadeColumns.MelFrames;

    internal KanadeDecodingOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(TokensColumnName, nameof(TokensColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(GlobalEmbeddingColumnName, nameof(GlobalEmbeddingColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(MelColumnName, nameof(MelColumnName));
        ValidateBatching();
        if (MelFramesColumnName == MelColumnName)
            throw new ArgumentException($"MelColumnName and MelFramesColumnName are both '{MelColumnName}'; name them apart.", nameof(MelFramesColumnName));
        return (KanadeDecodingOptions)MemberwiseClone();
    }
}
