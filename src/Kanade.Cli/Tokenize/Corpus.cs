using System.Security.Cryptography;
using System.Text;
using Kanade.Cli.Dataset;
using Kanade.Training.Data;

namespace Kanade.Cli.Tokenize;

/// <summary>The files to tokenize: a manifest's rows in their order, or a folder's matches sorted by relative path.</summary>
internal sealed class Corpus
{
    /// <summary>Every item, all shards.</summary>
    public required IReadOnlyList<CorpusItem> Items { get; init; }
    /// <summary>What the corpus was read from, for the job record.</summary>
    public required string Source { get; init; }
    /// <summary>Audio seconds per item where the manifest says (length / sample_rate), else null.</summary>
    public IReadOnlyList<double>? Seconds { get; init; }

    /// <summary>Reads a manifest (.csv/.parquet) or scans a folder with <paramref name="pattern"/>.</summary>
    /// <param name="input">A manifest file or a folder.</param>
    /// <param name="pattern">Glob for folder input.</param>
    /// <param name="audioRoot">Folder manifest paths are relative to; null for the manifest's own folder.</param>
    public static Corpus Open(string input, string pattern, string? audioRoot)
    {
        if (Directory.Exists(input))
        {
            var files = AudioGlob.Match(input, pattern);
            var ids = AudioGlob.UniqueIds(files);
            var items = files.Select((relative, i) => new CorpusItem(i, ids[i], relative, Path.GetFullPath(Path.Combine(input, relative)))).ToList();
            return new Corpus { Items = items, Source = $"{Path.GetFullPath(input)} ({pattern})" };
        }
        if (!File.Exists(input)) throw new Infrastructure.CliException($"--input '{input}' is neither a manifest file nor a folder.");
        var entries = AudioManifest.Read(input);
        string root = audioRoot ?? Path.GetDirectoryName(Path.GetFullPath(input))!;
        return new Corpus
        {
            Items = entries.Select((e, i) => new CorpusItem(i, e.AudioId, e.Path, Path.GetFullPath(Path.Combine(root, e.Path)))).ToList(),
            Seconds = entries.Select(e => e.SampleRate > 0 ? (double)e.Length / e.SampleRate : 0).ToList(),
            Source = Path.GetFullPath(input),
        };
    }

    /// <summary>SHA-256 over the ids and paths in order: two runs agree on parts only when this agrees.</summary>
    public string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var item in Items) hash.AppendData(Encoding.UTF8.GetBytes($"{item.AudioId}\n{item.Path}\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
