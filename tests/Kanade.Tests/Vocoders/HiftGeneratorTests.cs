using Kanade.IO;
using TorchSharp;
using Kanade.Vocoders;
using static TorchSharp.torch;

namespace Kanade.Tests.Vocoders;

[TestClass]
public sealed class HiftGeneratorTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DynamicData(nameof(Fixtures.ClipRows), typeof(Fixtures))]
    public void F0_MatchesReferenceF0Predictor(string clipFile)
    {
        using var hift = VocoderFixtures.TinyHift();
        var clip = Fixtures.Clip("tiny25", clipFile);
        using var f0 = hift.F0(clip["mel_from_tokens"].unsqueeze(0));
        VocoderFixtures.AssertMatchesReference(TestContext, f0[0], clip["hift_f0"], $"tiny25 {clipFile} hift_f0");
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.ClipRows), typeof(Fixtures))]
    public void Decode_StoredSource_MatchesReferenceWaveform(string clipFile)
    {
        using var hift = VocoderFixtures.TinyHift();
        var clip = Fixtures.Clip("tiny25", clipFile);
        using var waveform = hift.Decode(clip["mel_from_tokens"].unsqueeze(0), clip["hift_source"].unsqueeze(0));
        VocoderFixtures.AssertMatchesReference(TestContext, waveform[0], clip["vocoded"], $"tiny25 {clipFile} vocoded");
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.ClipRows), typeof(Fixtures))]
    public void Decode_ZeroSource_MatchesReferenceWaveform(string clipFile)
    {
        using var hift = VocoderFixtures.TinyHift();
        var clip = Fixtures.Clip("tiny25", clipFile);
        var mel = clip["mel_from_tokens"].unsqueeze(0);
        using var source = zeros(1, 1, mel.shape[2] * hift.Options.SamplesPerFrame);
        using var waveform = hift.Decode(mel, source);
        VocoderFixtures.AssertMatchesReference(TestContext, waveform[0], clip["vocoded_zero_source"], $"tiny25 {clipFile} vocoded_zero_source");
    }

    [TestMethod]
    public void CosyVoice2Architecture_HasThePublishedNamesAndShapes()
    {
        using var hift = new HiftGenerator(HiftOptions.CosyVoice2);
        TensorAssert.SameShapes(Fixtures.ManifestShapes("hift_cosyvoice2"), hift.CheckpointShapes(), "HiFT CosyVoice 2 checkpoint");
    }

    [TestMethod]
    public void Vocode_SameSeed_GivesTheSameWaveform_OtherSeed_Differs()
    {
        using var hift = VocoderFixtures.TinyHift();
        var mel = Fixtures.Clip("tiny25", "short_24k.wav")["mel_from_tokens"].unsqueeze(0);
        hift.Generator = new Generator(7);
        using var first = hift.Vocode(mel);
        hift.Generator = new Generator(7);
        using var again = hift.Vocode(mel);
        hift.Generator = new Generator(8);
        using var other = hift.Vocode(mel);
        Assert.AreEqual(0.0, TensorAssert.MaxDiff(first, again));
        Assert.IsGreaterThan(1e-6, TensorAssert.MaxDiff(first, other));
        CollectionAssert.AreEqual(new long[] { 1, 12 * 480 }, first.shape);
    }

    [TestMethod]
    public void Vocode_WrongNumberOfMelBins_ThrowsNamingTheExpectedBins()
    {
        using var hift = VocoderFixtures.TinyHift();
        using var mel = zeros(1, 100, 10);
        var error = Assert.ThrowsExactly<ArgumentException>(() => hift.Vocode(mel));
        StringAssert.Contains(error.Message, "expects 80 mel bins");
        StringAssert.Contains(error.Message, "100 bins");
    }

    [TestMethod]
    public void Vocode_EmptyMel_ThrowsNamingTheShape()
    {
        using var hift = VocoderFixtures.TinyHift();
        using var mel = zeros(1, 80, 0);
        var error = Assert.ThrowsExactly<ArgumentException>(() => hift.Vocode(mel));
        StringAssert.Contains(error.Message, "empty mel [1, 80, 0]");
    }

    [TestMethod]
    public void Decode_SourceOfWrongLength_ThrowsNamingTheExpectedLength()
    {
        using var hift = VocoderFixtures.TinyHift();
        using var mel = zeros(1, 80, 10);
        using var source = zeros(1, 1, 4000);
        var error = Assert.ThrowsExactly<ArgumentException>(() => hift.Decode(mel, source));
        StringAssert.Contains(error.Message, "(batch 1, 1, 4800 samples)");
    }

    [TestMethod]
    public void LoadWeights_VocosCheckpoint_ThrowsNamingTheExpectedHiftTensors()
    {
        using var hift = new HiftGenerator(VocoderFixtures.TinyHiftOptions());
        string vocos = VocoderFixtures.TinyVocosWeights;
        var error = Assert.ThrowsExactly<InvalidDataException>(() => hift.LoadWeights(WeightFile.Load(vocos), vocos));
        StringAssert.Contains(error.Message, "are not HiFT weights: expected tensors under conv_pre.*, f0_predictor.*, m_source.*, ups.*");
        StringAssert.Contains(error.Message, "look like a Vocos checkpoint");
    }

    [TestMethod]
    public void LoadWeights_MissingTensor_ThrowsNamingItInCheckpointTerms()
    {
        using var hift = new HiftGenerator(VocoderFixtures.TinyHiftOptions());
        string path = VocoderFixtures.TinyHiftWeights;
        var state = WeightFile.Load(path);
        state.Remove("conv_post.parametrizations.weight.original0");
        var error = Assert.ThrowsExactly<WeightLoadException>(() => hift.LoadWeights(state, path));
        StringAssert.Contains(error.Message, "missing:    conv_post.weight [18, 4, 7]");
    }

    [TestMethod]
    public void LoadWeights_PrefixedLegacyWeightNorm_DecodesAsTheParametrizedCheckpoint()
    {
        string path = VocoderFixtures.TinyHiftWeights;
        var legacy = WeightFile.Load(path).ToDictionary(
            e => "generator." + e.Key
                .Replace(".parametrizations.weight.original0", ".weight_g")
                .Replace(".parametrizations.weight.original1", ".weight_v"),
            e => e.Value);
        using var hift = new HiftGenerator(VocoderFixtures.TinyHiftOptions());
        hift.LoadWeights(legacy, path);
        using var reference = VocoderFixtures.TinyHift();
        var clip = Fixtures.Clip("tiny25", "short_24k.wav");
        var mel = clip["mel_from_tokens"].unsqueeze(0);
        var source = clip["hift_source"].unsqueeze(0);
        using var a = hift.Decode(mel, source);
        using var b = reference.Decode(mel, source);
        Assert.AreEqual(0.0, TensorAssert.MaxDiff(a, b));
    }

    [TestMethod]
    public void Decode_ModuleMovedToFloat64_MatchesReferenceWaveform()
    {
        using var hift = VocoderFixtures.TinyHift();
        hift.to(float64); // moves the non-persistent STFT window too
        var clip = Fixtures.Clip("tiny25", "short_24k.wav");
        using var waveform = hift.Decode(clip["mel_from_tokens"].unsqueeze(0), clip["hift_source"].unsqueeze(0));
        Assert.AreEqual(float64, waveform.dtype);
        TensorAssert.Close(waveform[0], clip["vocoded"], TensorAssert.Deep, "tiny25 vocoded in float64");
    }
}
