using System.Buffers.Binary;
using static TorchSharp.torch;

namespace Kanade.Tests.Audio;

/// <summary>Every kind of bad input gives an AudioFileException that names the file and the problem.</summary>
[TestClass]
public sealed class AudioFileBadInputTests
{
    readonly TempDirectory folder = new();

    [TestCleanup]
    public void DeleteFolder() => folder.Dispose();

    static AudioFileException AssertRefusedEverywhere(string path)
    {
        var read = Assert.ThrowsExactly<AudioFileException>(() => AudioFile.Read(path));
        Assert.ThrowsExactly<AudioFileException>(() => AudioFile.Load(path, 24000));
        StringAssert.Contains(read.Message, path);
        Assert.AreEqual(path, read.FilePath);
        return read;
    }

    [TestMethod]
    public void MissingFileIsReportedAsMissing()
    {
        string path = folder.File("nothing-here.wav");
        var e = AssertRefusedEverywhere(path);
        Assert.ThrowsExactly<AudioFileException>(() => AudioFile.Info(path));
        StringAssert.Contains(e.Message, "does not exist");
        Assert.IsInstanceOfType<FileNotFoundException>(e.InnerException);
    }

    [TestMethod]
    public void DirectoryIsReportedAsDirectory()
    {
        var e = AssertRefusedEverywhere(folder.Path);
        StringAssert.Contains(e.Message, "is a directory");
    }

    [TestMethod]
    public void EmptyFileIsReportedAsEmpty()
    {
        string path = folder.File("empty.wav");
        File.WriteAllBytes(path, []);
        var e = AssertRefusedEverywhere(path);
        StringAssert.Contains(e.Message, "is empty (0 bytes)");
    }

    [TestMethod]
    public void TextFileNamedWavIsReportedAsNotAudio()
    {
        string path = folder.File("notes.wav");
        File.WriteAllText(path, "These are meeting notes, not a recording.\nSecond line.\n");
        var e = AssertRefusedEverywhere(path);
        StringAssert.Contains(e.Message, "not in an audio format libsndfile can read");
        StringAssert.Contains(e.Message, "looks like text");
        StringAssert.Contains(e.Message, "does not start with a RIFF header");
    }

    [TestMethod]
    public void WavWhoseHeaderClaimsMoreDataThanTheFileHoldsIsReportedAsTruncated()
    {
        // short_24k.wav: 44-byte header, data chunk of 12002 bytes = 6001 mono 16-bit frames. Cut at 8000 bytes.
        string path = folder.File("cut.wav");
        File.WriteAllBytes(path, File.ReadAllBytes(Fixtures.Audio("short_24k.wav"))[..8000]);
        var e = AssertRefusedEverywhere(path);
        Assert.ThrowsExactly<AudioFileException>(() => AudioFile.Info(path));
        StringAssert.Contains(e.Message, "claims 12002 bytes of sample data");
        StringAssert.Contains(e.Message, "6001 frames, but 3978 are there");
        StringAssert.Contains(e.Message, "truncated");
    }

    [TestMethod]
    public void TruncatedFlacIsReportedWhenDecodingFallsShortOfTheHeader()
    {
        string path = folder.File("cut.flac");
        byte[] flac = File.ReadAllBytes(Fixtures.Audio("espeak_24bit_44k.flac"));
        File.WriteAllBytes(path, flac[..(flac.Length / 2)]);
        var e = AssertRefusedEverywhere(path);
        StringAssert.Contains(e.Message, "the header claims 171074 frames, but decoding stopped after");
        // Info reads the header only, so it still reports what the header claims.
        Assert.AreEqual(171074L, AudioFile.Info(path).Frames);
    }

    [TestMethod]
    public void WavWithAnUnknownCodecIsReportedAsUnsupported()
    {
        // A well-formed RIFF/WAVE file whose fmt chunk names codec 0x1234, which no decoder knows.
        string path = folder.File("codec.wav");
        byte[] wav = File.ReadAllBytes(Fixtures.Audio("short_24k.wav"));
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(20), 0x1234);
        File.WriteAllBytes(path, wav);
        var e = AssertRefusedEverywhere(path);
        Console.WriteLine(e.Message);
    }

    [TestMethod]
    public void Mp4AudioIsReportedAsUnsupportedFormat()
    {
        // The start of an M4A (AAC in MP4) file: libsndfile has no MP4 demuxer.
        string path = folder.File("speech.m4a");
        byte[] box = new byte[4096];
        BinaryPrimitives.WriteUInt32BigEndian(box, 32);
        "ftypM4A "u8.CopyTo(box.AsSpan(4));
        "M4A mp42isom"u8.CopyTo(box.AsSpan(16));
        new Random(1).NextBytes(box.AsSpan(32));
        File.WriteAllBytes(path, box);
        var e = AssertRefusedEverywhere(path);
        Console.WriteLine(e.Message);
        StringAssert.Contains(e.Message, "not in an audio format libsndfile can read");
    }
}
