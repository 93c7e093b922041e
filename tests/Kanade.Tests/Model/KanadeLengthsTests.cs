using Kanade.Ssl;

namespace Kanade.Tests.Model;

[TestClass]
public sealed class KanadeLengthsTests
{
    /// <summary>WavLM base's feature extractor: (kernel, stride) of its seven convolutions; hop 320.</summary>
    static readonly IReadOnlyList<ConvLayerSpec> WavLMConvs = SslFrameArithmetic.DefaultConvLayers;

    [TestMethod]
    [DynamicData(nameof(Fixtures.SetAndClipRows), typeof(Fixtures))]
    public void WaveformPaddingMatchesTheReference(string set, string clip)
    {
        var info = Fixtures.ClipInfo(set, clip);
        long samples = info.GetProperty("samples").GetInt64();
        Assert.AreEqual(info.GetProperty("padding").GetInt32(), KanadeLengths.WaveformPadding(samples, 24000, 16000, WavLMConvs), clip);
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.SetAndClipRows), typeof(Fixtures))]
    public void SslFrameCountMatchesTheReferenceFeatures(string set, string clip)
    {
        var info = Fixtures.ClipInfo(set, clip);
        long samples = info.GetProperty("samples").GetInt64();
        long frames = info.GetProperty("tensors").GetProperty("local_ssl").GetProperty("shape")[0].GetInt64();
        Assert.AreEqual(frames, KanadeLengths.SslFrameCount(samples, 24000, 16000, WavLMConvs), clip);
    }

    [TestMethod]
    public void TrainingPaddingRoundsFramesUpToTheDownsampleFactor()
    {
        // 34,560 samples at 24 kHz = 23,040 at 16 kHz = 72 frames exactly: padding 60 (fixtures.json train_step).
        Assert.AreEqual(60, KanadeLengths.WaveformPadding(34560, 24000, 16000, WavLMConvs, 4, ensureReconstructionLength: true));
        // 36,000 samples -> 75 frames, rounded to 76 for factor 4: needs 24,400 samples at 16 kHz = 36,600 at 24 kHz.
        Assert.AreEqual(300, KanadeLengths.WaveformPadding(36000, 24000, 16000, WavLMConvs, 4, ensureReconstructionLength: true));
    }

    [TestMethod]
    public void OriginalLengthAndMelLengthMatchTheFixtureShapes()
    {
        var info = Fixtures.ClipInfo("tiny12", "espeak_24bit_44k.flac");
        long tokens = info.GetProperty("num_tokens").GetInt64();
        long melFrames = info.GetProperty("tensors").GetProperty("mel_from_tokens").GetProperty("shape")[1].GetInt64();
        long audio = KanadeLengths.OriginalAudioLength(tokens, 24000, 16000, WavLMConvs, 4);
        Assert.AreEqual(melFrames, KanadeLengths.TargetMelLength(audio, 256, 1024, "center"));
        long samples = info.GetProperty("samples").GetInt64();
        long targetFrames = info.GetProperty("tensors").GetProperty("mel_target_length").GetProperty("shape")[1].GetInt64();
        Assert.AreEqual(targetFrames, KanadeLengths.TargetMelLength(samples, 256, 1024, "center"));
        Assert.AreEqual(100L, KanadeLengths.TargetMelLength(48000, 480, 1920, "same"));
        Assert.AreEqual(97L, KanadeLengths.TargetMelLength(48000, 480, 1920, "valid"));
    }

    [TestMethod]
    public void BatchLengthRoundsUpByAtMostOneThirtySecond()
    {
        Assert.AreEqual(8L, KanadeLengths.BatchLength(1));
        Assert.AreEqual(504L, KanadeLengths.BatchLength(499));   // 10 s at 50 Hz: steps of 8 below 512
        Assert.AreEqual(512L, KanadeLengths.BatchLength(512));
        Assert.AreEqual(528L, KanadeLengths.BatchLength(513));   // steps of 16 from 512
        var seen = new HashSet<long>();
        for (long length = 1; length <= 4096; length++)
        {
            long rounded = KanadeLengths.BatchLength(length);
            Assert.IsTrue(rounded >= length && rounded - length <= Math.Max(7, length / 32), $"{length} -> {rounded}");
            Assert.AreEqual(rounded, KanadeLengths.BatchLength(rounded), "a rounded length is its own rounding");
            seen.Add(rounded);
        }
        // Steps of 8 up to 512 (64 shapes), then 32 shapes per doubling: 64 + 3 x 32 for 4,096 lengths.
        Assert.AreEqual(160, seen.Count);
    }

    [TestMethod]
    public void SamplesForSslFramesIsTheFewestThatGiveTheFrames()
    {
        foreach (long frames in new long[] { 1, 2, 72, 499, 504, 1000 })
        {
            long samples = KanadeLengths.SamplesForSslFrames(frames, 24000, 16000, WavLMConvs);
            Assert.AreEqual(frames, FramesOf(samples), $"{frames} frames from {samples} samples");
            Assert.AreEqual(frames - 1, FramesOf(samples - 1), $"one sample fewer than {samples} gives fewer frames");
        }
        static long FramesOf(long samples) =>
            SslFrameArithmetic.OutputFrames(WavLMConvs, Kanade.Audio.Resampler.OutputLength(samples, 24000, 16000));
    }
}
