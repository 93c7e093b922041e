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
    [DynamicData(nameof(Fixtures.ClipRows), typeof(Fixtures))]
    public void Vocode_MelFromTokens_MatchesReferenceWaveform(string clipFile)
    {
        using var vocos = VocoderFixtures.TinyVocos();
        var clip = Fixtures.Clip("tiny12", clipFile);
        using var waveform = vocos.Vocode(clip["mel_from_tokens"].unsqueeze(0));
        VocoderFixtures.AssertMatchesReference(TestContext, waveform[0], clip["vocoded"], $"tiny12 {clipFile} vocoded");
    }

    [TestMethod]
    public void Mel24kHzArchitecture_HasThePublishedNamesAndShapes()
    {
        using var vocos = new Vocos(VocosConfig.Mel24kHz);
        var actual = vocos.state_dict().ToDictionary(e => e.Key, e => e.Value.shape);
        TensorAssert.SameShapes(Fixtures.ManifestShapes("vocos_mel_24khz"), actual, "Vocos mel-24khz state dict");
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
    public void LoadWeights_HiftCheckpoint_ThrowsNamingTheExpectedVocosTensors()
    {
        using var vocos = new Vocos(VocoderFixtures.TinyVocosConfig());
        string hift = VocoderFixtures.TinyHiftWeights;
        var error = Assert.ThrowsExactly<InvalidDataException>(() => vocos.LoadWeights(WeightFile.Load(hift), hift));
        StringAssert.Contains(error.Message, "are not Vocos weights: expected tensors under backbone.*, head.*, feature_extractor.*");
        StringAssert.Contains(error.Message, "look like a HiFT checkpoint");
        StringAssert.Contains(error.Message, "Vocoder.FromPretrained(\"hift\"");
    }

    [TestMethod]
    public void LoadWeights_TensorOfWrongShape_ThrowsNamingBothShapes()
    {
        using var vocos = new Vocos(VocoderFixtures.TinyVocosConfig());
        string path = VocoderFixtures.TinyVocosWeights;
        var state = WeightFile.Load(path);
        state["head.out.bias"] = zeros(1000);
        var error = Assert.ThrowsExactly<WeightLoadException>(() => vocos.LoadWeights(state, path));
        StringAssert.Contains(error.Message, "head.out.bias: expected [1026] Float32, found [1000] Float32");
    }

    [TestMethod]
    public void LoadWeights_WithoutFeatureExtractorBuffers_ThrowsNamingThem()
    {
        using var vocos = new Vocos(VocoderFixtures.TinyVocosConfig());
        string path = VocoderFixtures.TinyVocosWeights;
        var state = WeightFile.Load(path).Where(e => !e.Key.StartsWith("feature_extractor.")).ToDictionary();
        var error = Assert.ThrowsExactly<WeightLoadException>(() => vocos.LoadWeights(state, path));
        StringAssert.Contains(error.Message, "missing:    feature_extractor.mel_spec.mel_scale.fb [513, 100]");
        StringAssert.Contains(error.Message, "missing:    feature_extractor.mel_spec.spectrogram.window [1024]");
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.ClipRows), typeof(Fixtures))]
    public void Features_OfTheClipWaveform_AreTheReferenceVocosStyleMel(string clipFile)
    {
        using var vocos = VocoderFixtures.TinyVocos();
        var clip = Fixtures.Clip("tiny12", clipFile);
        using var scope = NewDisposeScope();
        var mel = vocos.Features(clip["wave"].unsqueeze(0))[0];
        var expected = clip["mel_real"];
        // The log of magnitudes clipped only at 1e-7 magnifies float32 FFT rounding in near-silent bins (as in the
        // Audio parity tests): magnitudes agree relative to each frame's peak, logs wherever the magnitude is >= 1e-2.
        var framePeak = expected.exp().amax([0], keepdim: true);
        double relative = ((mel.exp() - expected.exp()).abs() / framePeak).max().item<float>();
        Assert.IsLessThanOrEqualTo(1e-5, relative, $"tiny12 {clipFile} Vocos feature magnitudes relative to frame peak");
        var audible = expected.ge(Math.Log(1e-2));
        TensorAssert.Close(mel.where(audible, expected), expected, TensorAssert.Shallow, $"tiny12 {clipFile} Vocos features (mel >= 1e-2)");
    }

    [TestMethod]
    public void Resynthesize_IsDecodeOfFeatures()
    {
        using var vocos = VocoderFixtures.TinyVocos();
        var wave = Fixtures.Clip("tiny12", "short_24k.wav")["wave"].unsqueeze(0);
        using var direct = vocos.Resynthesize(wave);
        using var features = vocos.Features(wave);
        using var twoStep = vocos.Decode(features);
        CollectionAssert.AreEqual(new long[] { 1, wave.shape[1] / 256 * 256 }, direct.shape);
        Assert.AreEqual(0.0, TensorAssert.MaxDiff(direct, twoStep));
    }

    [TestMethod]
    public void Decode_SamePaddingHead_GivesHopSamplesPerFrame()
    {
        var config = VocoderFixtures.TinyVocosConfig();
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

    [TestMethod]
    public void AdaLayerNorm_ScalesAndShiftsTheNormalisedInputOfItsClass()
    {
        using var norm = new AdaLayerNorm(2, 4);
        norm.load_state_dict(new Dictionary<string, Tensor>
        {
            ["scale.weight"] = tensor(new float[,] { { 1, 1, 1, 1 }, { 2, 3, 4, 5 } }),
            ["shift.weight"] = tensor(new float[,] { { 0, 0, 0, 0 }, { 1, 1, 1, 1 } }),
        });
        using var x = tensor(new float[] { 1, 2, 3, 4 }).view(1, 1, 4);
        using var y = norm.call(x, tensor(new long[] { 1 }));
        double sd = Math.Sqrt(1.25 + 1e-6); // biased variance of 1..4, plus eps
        var expected = new[] { -1.5 / sd * 2 + 1, -0.5 / sd * 3 + 1, 0.5 / sd * 4 + 1, 1.5 / sd * 5 + 1 }.Select(v => (float)v).ToArray();
        TensorAssert.Close(y.view(4), tensor(expected), 1e-6, "AdaLayerNorm class 1");
    }

    [TestMethod]
    public void Vocode_ConditionedBackboneWithoutBandwidthId_ThrowsNamingIt()
    {
        var config = VocoderFixtures.TinyVocosConfig();
        using var vocos = new Vocos(config with { Backbone = config.Backbone with { AdanormNumEmbeddings = 4 } });
        using var mel = zeros(1, 100, 5);
        var error = Assert.ThrowsExactly<ArgumentNullException>(() => vocos.Vocode(mel));
        StringAssert.Contains(error.Message, "AdaLayerNorm: pass a bandwidth id");
        using var waveform = vocos.Decode(mel, tensor(new long[] { 3 }));
        CollectionAssert.AreEqual(new long[] { 1, 4 * 256 }, waveform.shape);
    }
}
