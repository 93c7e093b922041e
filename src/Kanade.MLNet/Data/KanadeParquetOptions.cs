// Options of KanadeParquet.Save.
namespace Kanade.MLNet;

/// <summary>Options of <see cref="KanadeParquet.Save"/>: which columns hold what, part sizes, metadata.</summary>
public sealed class KanadeParquetOptions
{
    /// <summary>Text column written as <c>audio_id</c>; null to write empty ids.</summary>
    public string? AudioIdColumnName = KanadeManifest.AudioIdColumn;

    /// <summary>Text column written as <c>path</c>; null to write empty paths.</summary>
    public string? PathColumnName = KanadeColumns.Path;

    /// <summary>Token column (Vector&lt;Int32&gt;, Vector&lt;Int64&gt; or Vector&lt;Key&lt;UInt32&gt;&gt;) written as <c>tokens</c> and <c>num_tokens</c>.</summary>
    public string TokensColumnName = KanadeColumns.Tokens;

    /// <summary>Global-embedding column (Vector&lt;Single&gt;) written as <c>global_embedding</c>.</summary>
    public string GlobalEmbeddingColumnName = KanadeColumns.GlobalEmbedding;

    /// <summary>
    /// Waveform column (Vector&lt;Single&gt; annotated with <see cref="KanadeAnnotations.SampleRate"/>, as LoadAudio makes it)
    /// from which <c>duration_s</c> and <c>sample_rate</c> are computed; when null or absent from the data both are written as null.
    /// </summary>
    public string? WaveformColumnName = KanadeColumns.Waveform;

    /// <summary>Rows per part file (<c>part-00000.parquet</c>, <c>part-00001.parquet</c>...).</summary>
    public int RowsPerPart = 100_000;

    /// <summary>Rows per row group inside a part (what a reader holds in memory at once).</summary>
    public int RowsPerRowGroup = 10_000;

    /// <summary>Number of the first part written (a resumed job continues the numbering).</summary>
    public int FirstPartIndex;

    /// <summary>The file metadata; null to take it from the token column's annotations (KanadeEncode sets them).</summary>
    public KanadeParquetMetadata? Metadata;

    /// <summary>The model's files, for <c>kanade.weights_sha256</c> when <see cref="Metadata"/> is null.</summary>
    public KanadeModelReference? ModelReference;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(TokensColumnName, nameof(TokensColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(GlobalEmbeddingColumnName, nameof(GlobalEmbeddingColumnName));
        if (RowsPerPart < 1) throw new ArgumentOutOfRangeException(nameof(RowsPerPart), RowsPerPart, "RowsPerPart must be at least 1.");
        if (RowsPerRowGroup < 1) throw new ArgumentOutOfRangeException(nameof(RowsPerRowGroup), RowsPerRowGroup, "RowsPerRowGroup must be at least 1.");
        if (FirstPartIndex < 0) throw new ArgumentOutOfRangeException(nameof(FirstPartIndex), FirstPartIndex, "FirstPartIndex must not be negative.");
    }
}
