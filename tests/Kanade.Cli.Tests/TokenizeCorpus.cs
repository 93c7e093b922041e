using Kanade.Cli.Tokenize;
using Kanade.Tests;

namespace Kanade.Cli.Tests;

/// <summary>A folder of the six fixture clips (plus optional bad files) and helpers to read tokenize output.</summary>
sealed class TokenizeCorpus : IDisposable
{
    readonly TempDirectory folder = new();

    public string Audio => folder.File("audio");
    public string Output(string name = "out") => folder.File(name);
    public string File(params string[] parts) => folder.File(parts);

    public TokenizeCorpus(bool withBadFiles = false)
    {
        Directory.CreateDirectory(Audio);
        foreach (string clip in Fixtures.ClipFiles) System.IO.File.Copy(Fixtures.Audio(clip), Path.Combine(Audio, clip));
        if (withBadFiles)
        {
            System.IO.File.WriteAllBytes(Path.Combine(Audio, "corrupt.wav"), [.. "RIFF"u8, .. new byte[60]]);
            System.IO.File.WriteAllBytes(Path.Combine(Audio, "empty.wav"), []);
        }
    }

    /// <summary>tokenize on the tiny model over the folder (all clip formats), with extra arguments.</summary>
    public string[] Args(string output, params string[] extra) =>
        ["tokenize", .. CliHarness.Model, "--input", Audio, "--pattern", "*.*", "--output", output, "--decode-threads", "2", .. extra];

    /// <summary>Every row of every part file, in part order.</summary>
    public static List<TokenRow> Rows(string output) =>
        [.. PartFiles(output).SelectMany(p => ParquetTokenPartWriter.ReadPart(Path.Combine(output, p)))];

    /// <summary>Visible part file names, sorted.</summary>
    public static List<string> PartFiles(string output) =>
        [.. Directory.GetFiles(output, "part-*.parquet").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    public void Dispose() => folder.Dispose();
}
