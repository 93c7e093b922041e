// Writes the manifest of kanade-tokenizer script/dump_dataset.py (MIT): CSV as Python's csv module writes it, or Parquet.
using System.Globalization;
using System.Text.Json.Serialization;
using System.Text;
using Kanade.IO;
using Parquet.Serialization;

namespace Kanade.Training.Data;

public static partial class AudioManifest
{
    /// <summary>
    /// Writes <paramref name="entries"/> as a manifest that <see cref="Read"/> (and the reference's dataset) reads, chosen by
    /// extension: <c>.parquet</c> (audio_id, path: string; length: int64; sample_rate: int32), else CSV with a header, CRLF
    /// line ends and minimal quoting like Python's <c>csv</c> module. Written under a temporary name and renamed when complete.
    /// </summary>
    public static void Write(string path, IReadOnlyList<AudioManifestEntry> entries)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(entries);
        AtomicFile.Write(path, temporary =>
        {
            if (System.IO.Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase)) WriteParquet(temporary, entries);
            else WriteCsv(temporary, entries);
        });
    }

    static void WriteCsv(string path, IReadOnlyList<AudioManifestEntry> entries)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write(string.Join(',', Columns) + "\r\n");
        foreach (var e in entries)
        {
            writer.Write(CsvField(e.AudioId));
            writer.Write(',');
            writer.Write(CsvField(e.Path));
            writer.Write(',');
            writer.Write(e.Length.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(e.SampleRate.ToString(CultureInfo.InvariantCulture));
            writer.Write("\r\n");
        }
    }

    /// <summary>Python csv's QUOTE_MINIMAL: quoted when holding a comma, a quote or a line break; quotes doubled.</summary>
    static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : '"' + value.Replace("\"", "\"\"") + '"';

    static void WriteParquet(string path, IReadOnlyList<AudioManifestEntry> entries)
    {
        var rows = entries.Select(e => new ParquetRow { AudioId = e.AudioId, Path = e.Path, Length = e.Length, SampleRate = e.SampleRate });
        using var stream = File.Create(path);
        ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult();
    }

    sealed class ParquetRow
    {
        [JsonPropertyName("audio_id")] public string AudioId { get; set; } = "";
        [JsonPropertyName("path")] public string Path { get; set; } = "";
        [JsonPropertyName("length")] public long Length { get; set; }
        [JsonPropertyName("sample_rate")] public int SampleRate { get; set; }
    }
}
