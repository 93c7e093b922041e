// Default column names of the Kanade transforms.
namespace Kanade.MLNet;

/// <summary>The column names the Kanade transforms use unless told otherwise.</summary>
public static class KanadeColumns
{
    /// <summary>Audio file paths (Text), the input of LoadAudio in the examples.</summary>
    public const string Path = "Path";
    /// <summary>Waveforms (variable-length Vector&lt;Single&gt;) at the model's sample rate.</summary>
    public const string Waveform = "Waveform";
    /// <summary>LoadAudio's error messages (Text; empty when the row loaded) under <see cref="AudioErrorPolicy.EmptyWithErrorColumn"/>.</summary>
    public const string AudioError = "AudioError";
    /// <summary>Content tokens (variable-length Vector&lt;Int32&gt; or Vector&lt;Key&lt;UInt32&gt;&gt;).</summary>
    public const string Tokens = "Tokens";
    /// <summary>Global embeddings (Vector&lt;Single, GlobalDim&gt;).</summary>
    public const string GlobalEmbedding = "GlobalEmbedding";
    /// <summary>Content embeddings (variable-length Vector&lt;Single&gt;, tokens x dim row-major).</summary>
    public const string ContentEmbedding = "ContentEmbedding";
    /// <summary>Mel spectrograms (variable-length Vector&lt;Single&gt;, n_mels x frames row-major).</summary>
    public const string Mel = "Mel";
    /// <summary>Mel frame counts (Int32).</summary>
    public const string MelFrames = "MelFrames";
    /// <summary>Vocoded waveforms (variable-length Vector&lt;Single&gt;).</summary>
    public const string Resynthesized = "Resynthesized";
}

/// <summary>The annotation kinds the Kanade transforms attach to their columns (read them with <c>column.Annotations</c>).</summary>
public static class KanadeAnnotations
{
    /// <summary>Int32 on waveform columns: their sample rate in Hz.</summary>
    public const string SampleRate = "Kanade.SampleRate";
    /// <summary>Int32 on mel columns: mel bins (the row count of the row-major n_mels x frames layout).</summary>
    public const string MelBins = "Kanade.MelBins";
    /// <summary>Double on token columns: tokens per second of audio.</summary>
    public const string TokenRate = "Kanade.TokenRate";
    /// <summary>Int32 on token columns: the number of distinct tokens.</summary>
    public const string VocabularySize = "Kanade.VocabularySize";
    /// <summary>Vector&lt;Int32&gt; on token columns: the FSQ levels whose product is the vocabulary size.</summary>
    public const string FsqLevels = "Kanade.FsqLevels";
    /// <summary>Int32 on content-embedding columns: the embedding width (the column count of the row-major tokens x dim layout).</summary>
    public const string ContentDim = "Kanade.ContentDim";
    /// <summary>Text on token and global-embedding columns: the model config's name (its file name without extension).</summary>
    public const string ModelConfig = "Kanade.ModelConfig";
    /// <summary>Text on token and global-embedding columns: SHA-256 (hex) of the model config file, empty when unknown.</summary>
    public const string ModelConfigSha256 = "Kanade.ModelConfigSha256";
}
