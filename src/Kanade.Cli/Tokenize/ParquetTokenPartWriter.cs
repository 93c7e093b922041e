using Parquet.Serialization;

namespace Kanade.Cli.Tokenize;

/// <summary>
/// The minimal Parquet writer behind <see cref="ITokenPartWriter"/> (Parquet.Net's serializer, one row group per
/// part, Snappy), until the ML.NET pipeline's <c>KanadeParquet</c> lands on main.
/// </summary>
internal sealed class ParquetTokenPartWriter : ITokenPartWriter
{
    /// <inheritdoc/>
    public string Extension => ".parquet";

    /// <inheritdoc/>
    public void WritePart(string path, IReadOnlyList<TokenRow> rows, IReadOnlyDictionary<string, string> metadata)
    {
        using var stream = File.Create(path);
        ParquetSerializer.SerializeAsync(rows, stream, null, metadata).GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public void WriteErrors(string path, IReadOnlyList<ErrorRow> rows)
    {
        using var stream = File.Create(path);
        ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult();
    }

    /// <summary>Reads a part back (tests, resume checks).</summary>
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
