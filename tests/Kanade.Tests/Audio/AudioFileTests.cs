using static TorchSharp.torch;

namespace Kanade.Tests.Audio;

/// <summary>AudioFile: formats, header facts, partial reads and writing.</summary>
[TestClass]
public sealed class AudioFileTests
{
    readonly TempDirectory folder = new();

    [TestCleanup]
    public void DeleteFolder() => folder.Dispose();

    /// <summary>Integer sample values k in [-2^(bits-1), 2^(bits-1)), written exactly; soundfile reads k / 2^(bits-1).</summary>
    static float[] IntegerRamp(int frames, int channels, int bits, int step)
    {
        var values = new float[frames * channels];
        long full = 1L << (bits - 1);
        for (int i = 0; i < values.Length; i++) values[i] = (float)((long)i * step % (2 * full) - full);
        return values;
    }

    [TestMethod]
    [DataRow(TestAudio.Wav | TestAudio.PcmU8, 8, 1, "WAV", "PCM_U8")]
    [DataRow(TestAudio.Wav | TestAudio.Pcm16, 16, 2, "WAV", "PCM_16")]
    [DataRow(TestAudio.Wav | TestAudio.Pcm24, 24, 255, "WAV", "PCM_24")]
    [DataRow(TestAudio.Wav | TestAudio.Pcm32, 32, 65536 * 255, "WAV", "PCM_32")]
    [DataRow(TestAudio.Wavex | TestAudio.Pcm16, 16, 3, "WAVEX", "PCM_16")]
    [DataRow(TestAudio.Flac | TestAudio.Pcm16, 16, 5, "FLAC", "PCM_16")]
    [DataRow(TestAudio.Flac | TestAudio.Pcm24, 24, 257, "FLAC", "PCM_24")]
    public void LosslessIntegerFormatsReadAsIntegerOverFullScale(int format, int bits, int step, string formatName, string subtype)
    {
        using var scope = NewDisposeScope();
        string path = folder.File("ramp" + (formatName == "FLAC" ? ".flac" : ".wav"));
        var stored = IntegerRamp(3000, 2, bits, step);
        TestAudio.Write(path, format, 22050, 2, stored, rawIntegers: true);

        var info = AudioFile.Info(path);
        Assert.AreEqual((3000L, 22050, 2, formatName, subtype), (info.Frames, info.SampleRate, info.Channels, info.Format, info.Subtype));
        var expected = (tensor(stored, [3000, 2]).to(float64) / Math.Pow(2, bits - 1)).to(float32).t();
        TensorAssert.Close(AudioFile.Read(path), expected, 0, $"{formatName} {subtype}");
    }

    [TestMethod]
    public void FloatWavReadsTheStoredFloats()
    {
        using var scope = NewDisposeScope();
        string path = folder.File("float.wav");
        var stored = TestAudio.Sine(2000, 3, 16000, amplitude: 1.25);
        TestAudio.Write(path, TestAudio.Wav | TestAudio.Float, 16000, 3, stored);
        Assert.AreEqual("FLOAT", AudioFile.Info(path).Subtype);
        TensorAssert.Close(AudioFile.Read(path), tensor(stored, [2000, 3]).t(), 0, "float WAV");
    }

    [TestMethod]
    [DataRow(TestAudio.Ogg | TestAudio.Vorbis, 16000, "song.ogg", "OGG", "VORBIS")]
    [DataRow(TestAudio.Ogg | TestAudio.Opus, 48000, "song.opus", "OGG", "OPUS")]
    [DataRow(TestAudio.Mpeg | TestAudio.MpegLayer3, 16000, "song.mp3", "MP3", "MPEG_LAYER_III")]
    public void LossyFormatsDecodeToTheirLengthAndLoudness(int format, int sampleRate, string name, string formatName, string subtype)
    {
        using var scope = NewDisposeScope();
        string path = folder.File(name);
        var stored = TestAudio.Sine(sampleRate, 2, sampleRate, hertz: 440, amplitude: 0.5);
        TestAudio.Write(path, format, sampleRate, 2, stored);

        var info = AudioFile.Info(path);
        Assert.AreEqual((formatName, subtype, sampleRate, 2, (long)sampleRate),
            (info.Format, info.Subtype, info.SampleRate, info.Channels, info.Frames));
        var decoded = AudioFile.Read(path);
        CollectionAssert.AreEqual(new long[] { 2, sampleRate }, decoded.shape);
        // A 0.5-amplitude sine has RMS 0.354; lossy coding keeps it within a few percent.
        double rms = decoded.narrow(1, sampleRate / 4, sampleRate / 2).pow(2).mean().sqrt().item<float>();
        Assert.AreEqual(0.5 / Math.Sqrt(2), rms, 0.02, $"{subtype} RMS");
    }

    [TestMethod]
    public void InfoReportsTheHeaderOfEachFixtureFormat()
    {
        var stereo = AudioFile.Info(Fixtures.Audio("espeak_f3_stereo_16k.wav"));
        Assert.AreEqual((55610L, 16000, 2, "WAV", "PCM_16"), (stereo.Frames, stereo.SampleRate, stereo.Channels, stereo.Format, stereo.Subtype));
        Assert.AreEqual(55610 / 16000.0, stereo.DurationSeconds, 1e-12);
        Assert.AreEqual("Signed 16 bit PCM", stereo.SubtypeDescription);

        var flac = AudioFile.Info(Fixtures.Audio("espeak_24bit_44k.flac"));
        Assert.AreEqual((171074L, 44100, 1, "FLAC", "PCM_24"), (flac.Frames, flac.SampleRate, flac.Channels, flac.Format, flac.Subtype));
        StringAssert.StartsWith(flac.FormatDescription, "FLAC");
    }

    [TestMethod]
    [DataRow("espeak_f3_stereo_16k.wav")]
    [DataRow("espeak_24bit_44k.flac")]
    public void PartialReadsEqualSlicesOfTheFullRead(string clip)
    {
        using var scope = NewDisposeScope();
        string path = Fixtures.Audio(clip);
        var full = AudioFile.Read(path);
        long frames = full.shape[1];
        foreach (var (offset, count) in new (long, long)[] { (0, 100), (1, 1), (4097, 12345), (frames - 10, 10), (frames / 2, -1), (frames, -1) })
        {
            var part = AudioFile.Read(path, offset, count);
            long expectedCount = count < 0 ? frames - offset : count;
            CollectionAssert.AreEqual(new[] { full.shape[0], expectedCount }, part.shape, $"{clip} [{offset}, +{count}]");
            if (expectedCount > 0) TensorAssert.Close(part, full.narrow(1, offset, expectedCount), 0, $"{clip} [{offset}, +{count}]");
        }
    }

    [TestMethod]
    [DataRow(TestAudio.Ogg | TestAudio.Vorbis, 8000, 2, 40094L, 0.0, "seek.ogg")]      // libsndfile's own seek lands 128 samples off here
    [DataRow(TestAudio.Ogg | TestAudio.Opus, 48000, 2, 200001L, 0.0, "seek.opus")]
    [DataRow(TestAudio.Mpeg | TestAudio.MpegLayer3, 16000, 1, 20000L, 1e-6, "seek.mp3")] // a direct MPEG seek garbles ~4000 samples here
    public void PartialReadsOfLossyFilesEqualSlicesOfTheFullRead(int format, int sampleRate, int channels, long offset, double tolerance, string name)
    {
        using var scope = NewDisposeScope();
        string path = folder.File(name);
        TestAudio.Write(path, format, sampleRate, channels, TestAudio.Sine(6 * sampleRate, channels, sampleRate));
        var full = AudioFile.Read(path);
        TensorAssert.Close(AudioFile.Read(path, offset, 2000), full.narrow(1, offset, 2000), tolerance, name);
    }

    [TestMethod]
    public void ReadingPastTheEndReturnsWhatRemains()
    {
        var tail = AudioFile.Read(Fixtures.Audio("short_24k.wav"), 6000, 500);
        CollectionAssert.AreEqual(new long[] { 1, 1 }, tail.shape);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AudioFile.Read(Fixtures.Audio("short_24k.wav"), 6002));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AudioFile.Read(Fixtures.Audio("short_24k.wav"), -1));
    }

    [TestMethod]
    public void Float32WriteThenReadIsSampleExact()
    {
        using var scope = NewDisposeScope();
        string path = folder.File("out.wav");
        var samples = randn(2, 7919, generator: new Generator(7)) * 0.7;        // values beyond ±1 are kept
        AudioFile.Write(path, samples, 7919, AudioEncoding.Float32);
        var info = AudioFile.Info(path);
        Assert.AreEqual((7919, 2, "FLOAT"), (info.SampleRate, info.Channels, info.Subtype));
        TensorAssert.Close(AudioFile.Read(path), samples, 0, "float32 round trip");
    }

    [TestMethod]
    public void Pcm16WriteThenReadIsWithinOneStep()
    {
        using var scope = NewDisposeScope();
        string path = folder.File("out.wav");
        var samples = rand(48000, generator: new Generator(3)) * 2 - 1;          // mono (samples,)
        samples[0] = 1.0f;
        samples[1] = -1.0f;
        AudioFile.Write(path, samples, 48000);
        var read = AudioFile.Read(path);
        CollectionAssert.AreEqual(new long[] { 1, 48000 }, read.shape);
        double worst = (read[0] - samples).abs().max().item<float>();
        Assert.IsLessThanOrEqualTo(1.0 / 32768, worst, "PCM16 round trip");
        Assert.AreEqual((32767f / 32768, -1f), (read[0, 0].item<float>(), read[0, 1].item<float>()), "full scale clips to the int16 range");
    }

    [TestMethod]
    public void WriteReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        using var scope = NewDisposeScope();
        string path = folder.File("out.wav");
        AudioFile.Write(path, zeros(1, 100), 16000);
        var replacement = linspace(-0.5, 0.5, 300).reshape(1, 300);
        AudioFile.Write(path, replacement, 24000, AudioEncoding.Float32);
        TensorAssert.Close(AudioFile.Read(path), replacement, 0, "replaced file");
        CollectionAssert.AreEqual(new[] { "out.wav" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void FailedWriteLeavesTheExistingFileUntouched()
    {
        using var scope = NewDisposeScope();
        string path = folder.File("keep.wav");
        AudioFile.Write(path, full(1, 50, 0.25f), 16000);
        byte[] before = File.ReadAllBytes(path);
        var bad = zeros(1, 100);
        bad[0, 40] = float.NaN;
        var e = Assert.ThrowsExactly<ArgumentException>(() => AudioFile.Write(path, bad, 16000));
        StringAssert.Contains(e.Message, "NaN");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
        Assert.AreEqual(1, Directory.GetFiles(folder.Path).Length, "no temporary file is left behind");
    }

    [TestMethod]
    public void WriteIntoAMissingFolderNamesTheFolder()
    {
        string path = folder.File("no", "such", "out.wav");
        var e = Assert.ThrowsExactly<AudioFileException>(() => AudioFile.Write(path, zeros(10), 16000));
        StringAssert.Contains(e.Message, "does not exist");
    }

    [TestMethod]
    public void WriteRefusesShapesThatAreNotAudio()
    {
        string path = folder.File("out.wav");
        Assert.ThrowsExactly<ArgumentException>(() => AudioFile.Write(path, zeros(2, 3, 4), 16000));
        Assert.ThrowsExactly<ArgumentException>(() => AudioFile.Write(path, zeros(new long[] { 10 }, int16), 16000));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AudioFile.Write(path, zeros(10), 0));
        Assert.ThrowsExactly<ArgumentException>(() => AudioFile.Write(Path.ChangeExtension(path, ".flac"), zeros(10), 16000));
        Assert.AreEqual(0, Directory.GetFiles(folder.Path).Length);
    }

    [TestMethod]
    public void LoadOfAnEmptyWavSaysItHasNoFrames()
    {
        string path = folder.File("silence.wav");
        AudioFile.Write(path, zeros(new long[] { 0 }), 24000);
        Assert.AreEqual(0L, AudioFile.Info(path).Frames);
        CollectionAssert.AreEqual(new long[] { 1, 0 }, AudioFile.Read(path).shape);
        var e = Assert.ThrowsExactly<AudioFileException>(() => AudioFile.Load(path, 24000));
        StringAssert.Contains(e.Message, "no audio frames");
    }
}
