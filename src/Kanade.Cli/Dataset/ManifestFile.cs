// Writes the manifest of kanade-tokenizer script/dump_dataset.py (MIT): CSV as Python's csv module writes it, or Parquet.
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Kanade.Training.Data;
using Parquet.Serialization;

namespace Kanade.Cli.Dataset;

/// <summary>
/// Writes <c>audio_id,path,length,sample_rate</c> manifests that <see cref="AudioManifest.Read"/> (and the
/// reference's dataset) read: CSV with a header, CRLF line ends and minimal quoting like Python's <c>csv</c>
/// module, or Parquet (audio_id, path: string; length: int64; sample_rate: int32). Written under a temporary name
/// and renamed when complete.
/// </summary>
internal static class ManifestFile
{
    /// <summary>Writes <paramref name="entries"/> to a .csv or .parquet file, chosen by extension.</summary>
    public static void Write(string path, IReadOnlyList<AudioManifestEntry> entries)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            if (Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase)) WriteParquet(temporary, entries);
            else WriteCsv(temporary, entries);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    static void WriteCsv(string path, IReadOnlyList<AudioManifestEntry> entries)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write(string.Join(',', AudioManifest.Columns) + "\r\n");
        foreach (var e in entries)
        {
            writer.Write(Field(e.AudioId));
            writer.Write(',');
            writer.Write(Field(e.Path));
            writer.Write(',');
            writer.Write(e.Length.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(e.SampleRate.ToString(CultureInfo.InvariantCulture));
            writer.Write("\r\n");
        }
    }

    /// <summary>Python csv's QUOTE_MINIMAL: quoted when holding a comma, a quote or a line break; quotes doubled.</summary>
    static string Field(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : '"' + value.Replace("\"", "\"\"") + '"';

    static void WriteParquet(string path, IReadOnlyList<AudioManifestEntry> entries)
    {
        var rows = entries.Select(e => new ManifestRow { AudioId = e.AudioId, Path = e.Path, Length = e.Length, SampleRate = e.SampleRate });
        using var stream = File.Create(path);
        ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult();
    }

    sealed class ManifestRow
    {
        [JsonPropertyName("audio_id")] public string AudioId { get; set; } = "";
        [JsonPropertyName("path")] public string Path { get; set; } = "";
        [JsonPropertyName("length")] public long Length { get; set; }
        [JsonPropertyName("sample_rate")] public int SampleRate { get; set; }
    }
}
