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
    public void WritePart(string path, IReadOnlyList<KanadeTokenRow> rows) => writer.WritePart(path, rows);

    /// <inheritdoc/>
    public void WriteErrors(string path, IReadOnlyList<ErrorRow> rows)
    {
        using var stream = File.Create(path);
        ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult();
    }

    /// <summary>Reads a part back, every column as stored (tests, checks).</summary>
    public static IList<TokenRow> ReadPart(string path)
    {
        using var stream = File.OpenRead(path);
        return ParquetSerializer.DeserializeAsync<TokenRow>(stream).GetAwaiter().GetResult().Data;
    }

    /// <summary>Reads an errors file back.</summary>
    public static IList<ErrorRow> ReadErrors(string path)
    {
        using var stream = File.OpenRead(path);
        return ParquetSerializer.DeserializeAsync<ErrorRow>(stream).GetAwaiter().GetResult().Data;
    }
}
