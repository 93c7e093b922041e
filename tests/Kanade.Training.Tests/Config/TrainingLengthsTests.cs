using Kanade.Ssl;
using Kanade.Tests;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Kanade.Training.Tests.Config;

[TestClass]
public sealed class TrainingLengthsTests
{
    static readonly KanadeModelConfig Tiny12 = new() { DownsampleFactor = 4, MelUpsampleFactor = 8, NFft = 1024, HopLength = 256, NMels = 100, Padding = "center" };
    static readonly KanadeModelConfig Tiny25 = new() { DownsampleFactor = 2, MelUpsampleFactor = 2, NFft = 1920, HopLength = 480, NMels = 80, Padding = "same" };
    static readonly SslFeatureExtractorOptions WavLm = new() { ModelName = "wavlm_base_plus", OutputLayer = 9, SampleRate = 24000 };

    static int FixtureFigure(string set, string name) =>
        Fixtures.Json.RootElement.GetProperty("clips").GetProperty(set).GetProperty("train_step").GetProperty(name).GetInt32();

    [TestMethod]
    [DataRow("tiny12")]
    [DataRow("tiny25")]
    public void PaddingOfTheTrainingStepMatchesReference(string set)
    {
        // 34,560 samples -> 23,040 at 16 kHz -> 72 frames -> 23,120 samples needed -> 34,680 at 24 kHz -> 60 a side.
        Assert.AreEqual(FixtureFigure(set, "padding"), TrainingLengths.WaveformPadding(34560, 24000, Kanade.Ssl.SslFrameArithmetic.DefaultConvLayers));
    }

    [TestMethod]
    public void TargetMelLengthsMatchReference()
    {
        Assert.AreEqual(FixtureFigure("tiny12", "target_mel_length"), TrainingLengths.TargetMelLength(34560, Tiny12));   // 34560 / 256 + 1 = 136
        Assert.AreEqual(FixtureFigure("tiny25", "target_mel_length"), TrainingLengths.TargetMelLength(34560, Tiny25));   // 34560 / 480 = 72
        Assert.AreEqual(34560 / 256 - 3, TrainingLengths.TargetMelLength(34560, Tiny12 with { Padding = "none" }));      // (34560 - 1024) / 256 + 1
    }

    [TestMethod]
    [DataRow(34560, 72L)]
    [DataRow(138240, 288L)]
    [DataRow(36000, 75L)]
    [DataRow(6001, 13L)]
    public void SslFrameCountIsTheLengthAtSixteenKilohertzOverTheHopRoundedUp(int samples, long frames)
    {
        Assert.AreEqual(frames, TrainingLengths.SslFrameCount(samples, 24000, Kanade.Ssl.SslFrameArithmetic.DefaultConvLayers));
    }

    [TestMethod]
    public void TinyConvConfigIsReadFromTheSslParams()
    {
        var tiny = WavLm with { Params = new Wav2Vec2Architecture { ExtractorConvLayerConfig = [[32, 10, 5], [32, 3, 2], [32, 2, 2]] } };
        CollectionAssert.AreEqual(new[] { (10, 5), (3, 2), (2, 2) }, TrainingLengths.SslConvLayers(tiny).Select(l => (l.Kernel, l.Stride)).ToArray());
    }

    [TestMethod]
    [DataRow(34560)]
    [DataRow(138240)]
    public void PublishedAudioLengthsFitBothTokenRates(int samples)
    {
        // 72 and 288 frames divide by 4 (12.5 Hz) and by 2 (25 Hz); anything else would throw.
        Assert.AreEqual(0L, TrainingLengths.SslFrameCount(samples, 24000, Kanade.Ssl.SslFrameArithmetic.DefaultConvLayers) % 4);
        TrainingLengths.ValidateAudioLength(samples, Tiny12, WavLm);
        TrainingLengths.ValidateAudioLength(samples, Tiny25, WavLm);
    }

    [TestMethod]
    public void AudioLengthWhoseFramesDoNotDivideIsRejectedWithTheNearestThatWork()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => TrainingLengths.ValidateAudioLength(36000, Tiny12, WavLm));
        StringAssert.Contains(error.Message, "pipeline_config.audio_length = 36000 samples gives 75 SSL frames");
        StringAssert.Contains(error.Message, "model_config.downsample_factor = 4");
        // One token is 320 x 4 samples at 16 kHz = 1,920 at 24 kHz: 18 x 1920 = 34,560 and 19 x 1920 = 36,480.
        StringAssert.Contains(error.Message, "e.g. 34560 or 36480");
    }

    [TestMethod]
    public void OddFrameCountFailsTheTwentyFiveHertzModel()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => TrainingLengths.ValidateAudioLength(36000, Tiny25, WavLm));
        StringAssert.Contains(error.Message, "e.g. 35520 or 36480");    // 37 x 960 and 38 x 960
    }
}
