// Writes one Parquet part file of Kanade tokens, row group by row group, under a temporary name renamed when complete.
using Parquet;
using Parquet.Schema;

namespace Kanade.MLNet;

/// <summary>
/// Writes token Parquet part files. Schema (in this order): <c>audio_id</c> string, <c>path</c> string, <c>tokens</c>
/// list&lt;int32&gt;, <c>num_tokens</c> int32, <c>global_embedding</c> list&lt;float&gt;, <c>duration_s</c> double (nullable),
/// <c>sample_rate</c> int32 (nullable); the file's key-value metadata is <see cref="KanadeParquetMetadata.ToKeyValues"/>.
/// </summary>
/// <remarks>
/// Each part is written to <c>NAME.tmp</c> beside its final name and renamed when its last row group is complete, so
/// a part file that exists is whole (what a resumable job relies on). Memory is bounded by one row group.
/// </remarks>
/// <param name="metadata">The model description written into every part's metadata.</param>
/// <param name="rowsPerRowGroup">Rows buffered before a row group is written.</param>
public sealed class KanadeParquetWriter(KanadeParquetMetadata metadata, int rowsPerRowGroup = 10_000)
{
    /// <summary>The metadata written into every part.</summary>
    public KanadeParquetMetadata Metadata { get; } = metadata ?? throw new ArgumentNullException(nameof(metadata));
    /// <summary>Rows per row group.</summary>
    public int RowsPerRowGroup { get; } = rowsPerRowGroup > 0 ? rowsPerRowGroup
        : throw new ArgumentOutOfRangeException(nameof(rowsPerRowGroup), rowsPerRowGroup, "Rows per row group must be positive.");

    internal static readonly DataField<string> AudioIdField = new("audio_id", false);
    internal static readonly DataField<string> PathField = new("path", false);
    internal static readonly DataField<int> TokenField = new("element", false);
    internal static readonly ListField TokensField = new("tokens", TokenField);
    internal static readonly DataField<int> NumTokensField = new("num_tokens", false);
    internal static readonly DataField<float> EmbeddingField = new("element", false);
    internal static readonly ListField GlobalEmbeddingField = new("global_embedding", EmbeddingField);
    internal static readonly DataField<double> DurationField = new("duration_s", true);
    internal static readonly DataField<int> SampleRateField = new("sample_rate", true);

    /// <summary>The Parquet schema of token files.</summary>
    public static ParquetSchema Schema { get; } = new(AudioIdField, PathField, TokensField, NumTokensField, GlobalEmbeddingField, DurationField, SampleRateField);

    /// <summary>Writes <paramref name="rows"/> to the part file <paramref name="path"/> (replacing it); returns the row count.</summary>
    public long WritePart(string path, IEnumerable<KanadeTokenRow> rows) => WritePartAsync(path, rows).GetAwaiter().GetResult();

    /// <summary>Writes <paramref name="rows"/> to the part file <paramref name="path"/> (replacing it); returns the row count.</summary>
    public async Task<long> WritePartAsync(string path, IEnumerable<KanadeTokenRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(rows);
        string temporary = path + ".tmp";
        long written = 0;
        try
        {
            await using (var stream = File.Create(temporary))
            await using (var writer = await ParquetWriter.CreateAsync(Schema, stream, cancellationToken: cancellationToken))
            {
                writer.CustomMetadata = new Dictionary<string, string>(Metadata.ToKeyValues());
                var group = new List<KanadeTokenRow>(Math.Min(RowsPerRowGroup, 65_536));
                foreach (var row in rows)
                {
                    Check(row, written);
                    group.Add(row);
                    written++;
                    if (group.Count == RowsPerRowGroup)
                    {
                        await WriteRowGroup(writer, group, cancellationToken);
                        group.Clear();
                    }
                }
                if (group.Count > 0 || written == 0) await WriteRowGroup(writer, group, cancellationToken);
            }
            File.Move(temporary, path, overwrite: true);
            return written;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    void Check(KanadeTokenRow row, long index)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.AudioId is null || row.Path is null || row.Tokens is null || row.GlobalEmbedding is null)
            throw new ArgumentException($"Row {index} has a null field; audio_id, path, tokens and global_embedding are required (use empty values).");
        foreach (int token in row.Tokens)
            if (token < 0 || (Metadata.VocabularySize > 0 && token >= Metadata.VocabularySize))
                throw new ArgumentException($"Row {index} ('{row.AudioId}') holds token {token}; ids must lie in [0, {Metadata.VocabularySize}).");
    }

    static async Task WriteRowGroup(ParquetWriter writer, List<KanadeTokenRow> rows, CancellationToken cancellationToken)
    {
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(AudioIdField, rows.Select(r => r.AudioId).ToArray());
        await group.WriteAsync(PathField, rows.Select(r => r.Path).ToArray());
        await WriteList(group, TokenField, rows.Select(r => r.Tokens).ToArray(), cancellationToken);
        await group.WriteAsync<int>(NumTokensField, rows.Select(r => r.Tokens.Length).ToArray(), cancellationToken: cancellationToken);
        await WriteList(group, EmbeddingField, rows.Select(r => r.GlobalEmbedding).ToArray(), cancellationToken);
        await group.WriteAsync<double>(DurationField, rows.Select(r => r.DurationSeconds).ToArray().AsMemory(), cancellationToken: cancellationToken);
        await group.WriteAsync<int>(SampleRateField, rows.Select(r => r.SampleRate).ToArray().AsMemory(), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// A list column as Parquet's levels: the list is optional (definition 1 = present), its repeated group adds one
    /// (definition 2 = an element); an empty list is one entry of definition 1 and no value. Repetition 0 starts a row.
    /// </summary>
    static async Task WriteList<T>(ParquetRowGroupWriter group, DataField<T> element, T[][] lists, CancellationToken cancellationToken)
        where T : struct
    {
        int entries = lists.Sum(l => Math.Max(1, l.Length));
        var values = new T[lists.Sum(l => l.Length)];
        var definitions = new int[entries];
        var repetitions = new int[entries];
        int v = 0, e = 0;
        foreach (var list in lists)
        {
            if (list.Length == 0)
            {
                definitions[e] = 1;
                repetitions[e++] = 0;
                continue;
            }
            for (int i = 0; i < list.Length; i++)
            {
                values[v++] = list[i];
                definitions[e] = 2;
                repetitions[e++] = i == 0 ? 0 : 1;
            }
        }
        await group.WriteAllPartsAsync<T>(element, values, definitions, repetitions, cancellationToken);
    }
}
