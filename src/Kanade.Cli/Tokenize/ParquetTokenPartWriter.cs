using Kanade.MLNet;
using Parquet.Serialization;

namespace Kanade.Cli.Tokenize;

/// <summary>
/// Token parts through the ML.NET pipeline's <see cref="KanadeParquetWriter"/> (the schema and key-value metadata
/// every Kanade token reader expects: <see cref="KanadeParquet.Load"/>, the hyparquet check); errors.parquet
/// (audio_id, path, reason) through Parquet.Net's serializer.
/// </summary>
internal sealed class ParquetTokenPartWriter(KanadeParquetMetadata metadata) : ITokenPartWriter
{
    readonly KanadeParquetWriter writer = new(metadata);

    /// <inheritdoc/>
    public string Extension => ".parquet";

    /// <inheritdoc/>
    public void WritePart(string path, IReadOnlyList<TokenRow> rows) =>
        writer.WritePart(path, rows.Select(r => new KanadeTokenRow(r.AudioId, r.Path, r.Tokens, r.GlobalEmbedding, r.DurationSeconds, r.SampleRate)));

    /// <inheritdoc/>
    public void WriteErrors(string path, IReadOnlyList<ErrorRow> rows)
    {
        using var stream = File.Create(path);
        ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult();
    }

    /// <summary>Reads a part back (tests, checks).</summary>
    public static IList<TokenRow> ReadPart(string path) => ReadPartWithMetadata(path).Rows;

    /// <summary>Reads a part and its file-level metadata.</summary>
    public static (IList<TokenRow> Rows, IReadOnlyDictionary<string, string> Metadata) ReadPartWithMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        var result = ParquetSerializer.DeserializeAsync<TokenRow>(stream).GetAwaiter().GetResult();
        return (result.Data, result.CustomMetadata);
    }

    /// <summary>Reads an errors file back.</summary>
    public static IList<ErrorRow> ReadErrors(string path)
    {
        using var stream = File.OpenRead(path);
        return ParquetSerializer.DeserializeAsync<ErrorRow>(stream).GetAwaiter().GetResult().Data;
    }
}
