namespace Kanade.Cli.Tokenize;

/// <summary>
/// Writes one finished part: the seam where the ML.NET engineer's <c>KanadeParquet</c> writer plugs in. The file
/// must be complete when the call returns; the caller writes to a temporary name and renames.
/// </summary>
internal interface ITokenPartWriter
{
    /// <summary>Extension of the files written, e.g. <c>.parquet</c>.</summary>
    string Extension { get; }

    /// <summary>Writes <paramref name="rows"/> (in corpus order) and file-level <paramref name="metadata"/> to <paramref name="path"/>.</summary>
    void WritePart(string path, IReadOnlyList<TokenRow> rows, IReadOnlyDictionary<string, string> metadata);

    /// <summary>Writes the failed files of a run to <paramref name="path"/>.</summary>
    void WriteErrors(string path, IReadOnlyList<ErrorRow> rows);
}
