using Kanade.MLNet;

namespace Kanade.Cli.Tokenize;

/// <summary>
/// Writes one finished part: the seam the ML.NET pipeline's Parquet writer (<c>KanadeParquetWriter</c>) plugs into.
/// The file must be complete when the call returns; the caller writes to a temporary name and renames.
/// </summary>
internal interface ITokenPartWriter
{
    /// <summary>Extension of the files written, e.g. <c>.parquet</c>.</summary>
    string Extension { get; }

    /// <summary>Writes <paramref name="rows"/> (in corpus order) to <paramref name="path"/>.</summary>
    void WritePart(string path, IReadOnlyList<KanadeTokenRow> rows);

    /// <summary>Writes the failed files of a run to <paramref name="path"/>.</summary>
    void WriteErrors(string path, IReadOnlyList<ErrorRow> rows);
}
