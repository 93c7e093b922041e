using System.Globalization;
using System.Text.Json;
using Kanade.Cli.Infrastructure;
using Kanade.IO;
using Kanade.MLNet;

namespace Kanade.Cli.Tokenize;

/// <summary>
/// The output folder of a tokenize job. Parts are written under a hidden temporary name and renamed into place, then
/// recorded in <c>_parts/</c>; only a recorded part counts as finished, so a run killed at any moment leaves no partial
/// part visible and its rerun redoes exactly the unrecorded ones. Shard-level files carry the shard in their name
/// when the corpus is sharded, so shards can share one folder.
/// </summary>
internal sealed class OutputStore
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    readonly string extension;

    /// <summary>The output folder.</summary>
    public string Root { get; }
    /// <summary>Suffix of this shard's files: empty when unsharded, else <c>.shard-00001-of-00004</c>.</summary>
    public string ShardSuffix { get; }

    public OutputStore(string root, PartPlan plan, string extension)
    {
        Root = root;
        this.extension = extension;
        ShardSuffix = plan.ShardCount == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $".shard-{plan.Shard:D5}-of-{plan.ShardCount:D5}");
    }

    public string PartPath(int part) => Path.Combine(Root, PartName(part));
    string PartName(int part) => string.Create(CultureInfo.InvariantCulture, $"part-{part:D5}{extension}");
    public string RecordPath(int part) => Path.Combine(Root, "_parts", string.Create(CultureInfo.InvariantCulture, $"part-{part:D5}.json"));
    public string JobPath => Path.Combine(Root, "_job.json");
    public string SuccessPath => Path.Combine(Root, "_SUCCESS" + ShardSuffix);
    public string SummaryPath => Path.Combine(Root, "summary" + ShardSuffix + ".json");
    public string ErrorsPath => Path.Combine(Root, "errors" + ShardSuffix + extension);

    /// <summary>
    /// Prepares the folder: with <paramref name="overwrite"/> removes this shard's parts, records and shard files;
    /// otherwise checks that an existing job matches <paramref name="job"/>. Removes temporaries of this shard's parts
    /// left by killed runs (<see cref="AtomicFile"/>'s names). Writes the job record.
    /// </summary>
    public void Open(JobRecord job, IEnumerable<int> shardParts, bool overwrite)
    {
        Directory.CreateDirectory(Path.Combine(Root, "_parts"));
        var parts = shardParts.ToList();
        var names = parts.Select(PartName).Concat(parts.Select(p => Path.GetFileName(RecordPath(p)))).ToHashSet();
        foreach (string file in Directory.EnumerateFiles(Root).Concat(Directory.EnumerateFiles(Path.Combine(Root, "_parts"))))
        {
            string name = Path.GetFileName(file);
            if (names.Any(n => AtomicFile.IsTemporaryOf(name, n))) File.Delete(file);
        }
        var existing = File.Exists(JobPath)
            ? JsonSerializer.Deserialize<JobRecord>(File.ReadAllText(JobPath)) ?? throw new InvalidDataException($"'{JobPath}' is empty.")
            : null;
        if (existing is not null && existing != job)
        {
            if (!overwrite)
                throw new CliException(
                    $"'{Root}' holds the output of a different job ({Difference(existing, job)}); pass --overwrite to replace it or choose another --output.");
            // Every file of the old job is obsolete, whichever shard wrote it.
            foreach (string file in Directory.EnumerateFiles(Root).Where(IsJobFile).Concat(Directory.EnumerateFiles(Path.Combine(Root, "_parts"))))
                File.Delete(file);
        }
        else if (overwrite)
        {
            foreach (int part in parts)
            {
                File.Delete(PartPath(part));
                File.Delete(RecordPath(part));
            }
            File.Delete(SuccessPath);
            File.Delete(SummaryPath);
            File.Delete(ErrorsPath);
        }
        WriteJson(JobPath, job);
    }

    /// <summary>Files a job writes at the top of its folder (parts, shard summaries, errors, markers); nothing else is touched.</summary>
    bool IsJobFile(string file)
    {
        string name = Path.GetFileName(file);
        return (name.StartsWith("part-", StringComparison.Ordinal) && name.EndsWith(extension, StringComparison.Ordinal))
            || name.StartsWith("_SUCCESS", StringComparison.Ordinal)
            || (name.StartsWith("summary", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal))
            || (name.StartsWith("errors", StringComparison.Ordinal) && name.EndsWith(extension, StringComparison.Ordinal));
    }

    static string Difference(JobRecord a, JobRecord b)
    {
        var differences = new List<string>();
        if (a.Corpus != b.Corpus || a.CorpusSha256 != b.CorpusSha256 || a.Items != b.Items) differences.Add($"corpus '{a.Corpus}' ({a.Items} files) vs '{b.Corpus}' ({b.Items} files)");
        if (a.RowsPerPart != b.RowsPerPart) differences.Add($"--rows-per-part {a.RowsPerPart} vs {b.RowsPerPart}");
        if (a.ConfigSha256 != b.ConfigSha256 || a.Weights != b.Weights) differences.Add("model config or weights");
        if (a.WindowSeconds != b.WindowSeconds || a.WindowContextSeconds != b.WindowContextSeconds) differences.Add("window settings");
        if (a.Format != b.Format) differences.Add($"format {a.Format} vs {b.Format}");
        return string.Join("; ", differences);
    }

    /// <summary>The record of a finished part, or null when the part is still to do.</summary>
    public PartRecord? Finished(int part)
    {
        string path = RecordPath(part);
        if (!File.Exists(path)) return null;
        var record = JsonSerializer.Deserialize<PartRecord>(File.ReadAllText(path));
        // A part with rows must also have its file; a record without one (deleted by hand) means redo.
        return record is not null && (record.Rows == 0 || File.Exists(PartPath(part))) ? record : null;
    }

    /// <summary>Writes a part and then its record, each under a temporary name renamed into place.</summary>
    public void Commit(int part, IReadOnlyList<KanadeTokenRow> rows, PartRecord record, ITokenPartWriter writer)
    {
        string path = PartPath(part);
        if (rows.Count > 0) AtomicFile.Write(path, temporary => writer.WritePart(temporary, rows));
        else File.Delete(path);
        WriteJson(RecordPath(part), record);
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON, atomically.</summary>
    public static void WriteJson<T>(string path, T value) =>
        AtomicFile.Write(path, temporary => File.WriteAllText(temporary, JsonSerializer.Serialize(value, Json)));
}
