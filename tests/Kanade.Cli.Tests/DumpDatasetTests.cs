using Kanade.Tests;
using Kanade.Training.Data;

namespace Kanade.Cli.Tests;

/// <summary><c>dump-dataset</c> writes the manifest the reference's dump_dataset.py writes.</summary>
[TestClass]
public sealed class DumpDatasetTests
{
    /// <summary>a/ and b/ hold the same stem (ids stem, stem_1), a FLAC outside the pattern, a corrupt and a hidden WAV.</summary>
    static TempDirectory Corpus()
    {
        var folder = new TempDirectory();
        Directory.CreateDirectory(folder.File("data", "a"));
        Directory.CreateDirectory(folder.File("data", "b"));
        File.Copy(Fixtures.Audio("real_front_center_48k.wav"), folder.File("data", "a", "real_front_center_48k.wav"));
        File.Copy(Fixtures.Audio("real_front_center_48k.wav"), folder.File("data", "b", "real_front_center_48k.wav"));
        File.Copy(Fixtures.Audio("short_24k.wav"), folder.File("data", "b", "short_24k.wav"));
        File.Copy(Fixtures.Audio("espeak_24bit_44k.flac"), folder.File("data", "espeak_24bit_44k.flac"));
        File.Copy(Fixtures.Audio("short_24k.wav"), folder.File("data", ".hidden.wav"));
        File.WriteAllBytes(folder.File("data", "bad.wav"), [.. "RIFF"u8, 1, 2, 3]);
        return folder;
    }

    // 68545 frames at 48 kHz and 6001 at 24 kHz: the fixture README's clip figures.
    const string Expected =
        "audio_id,path,length,sample_rate\r\n" +
        "real_front_center_48k,a/real_front_center_48k.wav,68545,48000\r\n" +
        "real_front_center_48k_1,b/real_front_center_48k.wav,68545,48000\r\n" +
        "short_24k,b/short_24k.wav,6001,24000\r\n";

    [TestMethod]
    public void CsvEqualsTheHandWrittenManifestAndReportsTheUnreadableFile()
    {
        using var folder = Corpus();
        string manifest = folder.File("manifest.csv");
        var result = CliHarness.Run("dump-dataset", folder.File("data"), "--pattern", "**/*.wav", "-o", manifest).Expect(0);
        Assert.AreEqual(Expected, File.ReadAllText(manifest));
        StringAssert.Contains(result.Error, "warning: skipped 'bad.wav'");
        StringAssert.Contains(result.Out, "3 files, sample rates [24000, 48000], 143,091 samples");
    }

    [TestMethod]
    public void ParquetHoldsTheSameRows()
    {
        using var folder = Corpus();
        string manifest = folder.File("manifest.parquet");
        CliHarness.Run("dump-dataset", folder.File("data"), "-o", manifest).Expect(0);
        var rows = AudioManifest.Read(manifest);
        CollectionAssert.AreEqual(new[]
        {
            new AudioManifestEntry("real_front_center_48k", "a/real_front_center_48k.wav", 68545, 48000),
            new AudioManifestEntry("real_front_center_48k_1", "b/real_front_center_48k.wav", 68545, 48000),
            new AudioManifestEntry("short_24k", "b/short_24k.wav", 6001, 24000),
        }, rows.ToArray());
    }

    [TestMethod]
    public void NothingMatchingFails()
    {
        using var folder = Corpus();
        var result = CliHarness.Run("dump-dataset", folder.File("data"), "--pattern", "**/*.mp3", "-o", folder.File("m.csv")).Expect(1);
        StringAssert.Contains(result.Error, "no readable audio files matched '**/*.mp3'");
        Assert.IsFalse(File.Exists(folder.File("m.csv")));
    }
}
