using Kanade.IO;
using TorchSharp;
using Kanade.Vocoders;
using static TorchSharp.torch;

namespace Kanade.Tests.Vocoders;

[TestClass]
public sealed class VocosTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("espeak_24bit_44k.flac")]
    [DataRow("espeak_default_22k.wav")]
    [DataRow("espeak_f3_stereo_16k.wav")]
    [DataRow("real_front_center_48k.wav")]
    [DataRow("real_rear_left_48k.wav")]
    [DataRow("short_24k.wav")]
    public void Vocode_MelFromTokens_MatchesReferenceWaveform(string clipFile)
    {
        using var vocos = VocoderFixtures.TinyVocos();
        var clip = Fixtures.Clip("tiny12", clipFile);
        using var waveform = vocos.Vocode(clip["mel_from_tokens"].unsqueeze(0));
        TestContext.WriteLine($"{clipFile}: max |diff| = {VocoderFixtures.MaxDiff(waveform[0], clip["vocoded"]):G3}");
        TensorAssert.Close(waveform[0], clip["vocoded"], TensorAssert.Deep, $"tiny12 {clipFile} vocoded");
    }

    [TestMethod]
    public void Mel24kHzArchitecture_HasThePublishedNamesAndShapes()
    {
        using var vocos = new Vocos(VocosConfig.Mel24kHz);
        var actual = vocos.state_dict().ToDictionary(e => e.Key, e => e.Value.shape);
        VocoderFixtures.AssertSameShapes(VocoderFixtures.Manifest("vocos_mel_24khz"), actual, "Vocos mel-24khz state dict");
    }

    [TestMethod]
    public void Vocode_WrongNumberOfMelBins_ThrowsNamingTheExpectedBins()
    {
        using var vocos = VocoderFixtures.TinyVocos();
        using var mel = zeros(1, 80, 10);
        var error = Assert.ThrowsExactly<ArgumentException>(() => vocos.Vocode(mel));
        StringAssert.Contains(error.Message, "expects 100 mel bins");
        StringAssert.Contains(error.Message, "80 bins");
    }

    [TestMethod]
    public void Vocode_EmptyMel_ThrowsNamingTheShape()
    {
        using var vocos = VocoderFixtures.TinyVocos();
        using var mel = zeros(1, 100, 0);
        var error = Assert.ThrowsExactly<ArgumentException>(() => vocos.Vocode(mel));
        StringAssert.Contains(error.Message, "empty mel [1, 100, 0]");
    }

    [TestMethod]
    public void LoadWeights_HiftCheckpoint_ThrowsNamingMissingVocosTensors()
    {
        using var vocos = new Vocos(VocosConfig.Load(Fixtures.Path("tiny12", "vocos_config.yaml")));
        string hift = Fixtures.Path("tiny25", "hift.safetensors");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => vocos.LoadWeights(WeightFile.Load(hift), hift));
        StringAssert.Contains(error.Message, "do not fit this Vocos");
        StringAssert.Contains(error.Message, "29 missing (");
        StringAssert.Contains(error.Message, "backbone.embed.weight");
        StringAssert.Contains(error.Message, "look like a HiFT checkpoint");
    }

    [TestMethod]
    public void LoadWeights_TensorOfWrongShape_ThrowsNamingBothShapes()
    {
        using var vocos = new Vocos(VocosConfig.Load(Fixtures.Path("tiny12", "vocos_config.yaml")));
        string path = Fixtures.Path("tiny12", "vocos.safetensors");
        var state = WeightFile.Load(path);
        state["head.out.bias"] = zeros(1000);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => vocos.LoadWeights(state, path));
        StringAssert.Contains(error.Message, "head.out.bias: file [1000], expected [1026]");
    }

    [TestMethod]
    public void Decode_SamePaddingHead_GivesHopSamplesPerFrame()
    {
        var config = VocosConfig.Load(Fixtures.Path("tiny12", "vocos_config.yaml"));
        using var vocos = new Vocos(config with { Head = config.Head with { Padding = "same" } });
        using var mel = randn(2, 100, 7);
        using var waveform = vocos.Vocode(mel);
        CollectionAssert.AreEqual(new long[] { 2, 7 * 256 }, waveform.shape);
    }

    [TestMethod]
    public void Vocode_ModuleMovedToFloat64_MatchesReferenceWaveform()
    {
        using var vocos = VocoderFixtures.TinyVocos();
        vocos.to(float64);
        var clip = Fixtures.Clip("tiny12", "short_24k.wav");
        using var waveform = vocos.Vocode(clip["mel_from_tokens"].unsqueeze(0));
        Assert.AreEqual(float64, waveform.dtype);
        TensorAssert.Close(waveform[0], clip["vocoded"], TensorAssert.Deep, "tiny12 vocoded in float64");
    }
}
