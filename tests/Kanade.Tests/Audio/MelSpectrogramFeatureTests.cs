using Kanade.Audio;
using Kanade.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Tests.Audio;

/// <summary>MelSpectrogramFeature's buffers, filterbanks and frame counts.</summary>
[TestClass]
public sealed class MelSpectrogramFeatureTests
{
    const string Prefix = "feature_extractor.";

    static Dictionary<string, Tensor> VocosFeatureExtractor() =>
        SafeTensors.Load(Fixtures.Path("tiny12", "vocos.safetensors"))
            .Where(p => p.Key.StartsWith(Prefix)).ToDictionary(p => p.Key[Prefix.Length..], p => p.Value);

    [TestMethod]
    public void VocosStyleBuffersEqualTheVocosCheckpointsFeatureExtractor()
    {
        using var scope = NewDisposeScope();
        var stored = VocosFeatureExtractor();
        using var feature = new MelSpectrogramFeature(24000, 1024, 256, 100, "center");
        var state = feature.state_dict();
        CollectionAssert.AreEquivalent(stored.Keys.ToArray(), state.Keys.ToArray());
        CollectionAssert.AreEquivalent(new[] { "mel_spec.spectrogram.window", "mel_spec.mel_scale.fb" }, state.Keys.ToArray());
        foreach (var (name, tensor) in stored) TensorAssert.Close(state[name], tensor, 0, name);
    }

    [TestMethod]
    public void VocosFeatureExtractorWeightsLoadStrictly()
    {
        using var scope = NewDisposeScope();
        using var feature = new MelSpectrogramFeature(24000, 1024, 256, 100, "center");
        var (missing, unexpected) = feature.load_state_dict(VocosFeatureExtractor(), strict: true);
        Assert.AreEqual(0, missing.Count + unexpected.Count);
    }

    [TestMethod]
    public void BigvganStyleHoldsMelBasisAndHannWindow()
    {
        using var feature = new MelSpectrogramFeature(24000, 1920, 480, 80, "same", fMax: 8000, bigvganStyleMel: true);
        var shapes = feature.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        CollectionAssert.AreEquivalent(new[] { "mel_basis", "hann_window" }, shapes.Keys.ToArray());
        CollectionAssert.AreEqual(new long[] { 80, 961 }, shapes["mel_basis"]);
        CollectionAssert.AreEqual(new long[] { 1920 }, shapes["hann_window"]);
    }

    [TestMethod]
    public void SlaneyMelScaleIsLinearTo1kHzThenLogarithmic()
    {
        // 3 mels per 200 Hz below 1 kHz; 27 mels per factor 6.4 above it.
        Assert.AreEqual(7.5, MelFilterbank.SlaneyHertzToMel(500), 1e-12);
        Assert.AreEqual(15, MelFilterbank.SlaneyHertzToMel(1000), 1e-12);
        Assert.AreEqual(42, MelFilterbank.SlaneyHertzToMel(6400), 1e-12);
        Assert.AreEqual(6400, MelFilterbank.SlaneyMelToHertz(42), 1e-9);
        Assert.AreEqual(300, MelFilterbank.SlaneyMelToHertz(4.5), 1e-12);
    }

    [TestMethod]
    public void SlaneyFiltersHaveUnitArea()
    {
        // Slaney normalisation scales each triangle to area 1 (in Hz); with 1 Hz bins the row sums show it.
        using var scope = NewDisposeScope();
        var filters = MelFilterbank.Slaney(16000, 16000, 40, fMin: 0, fMax: 8000);   // (40, 8001)
        var areas = filters.to(float64).sum(1);
        Assert.IsLessThanOrEqualTo(1e-3, (areas - 1).abs().max().item<double>());
    }

    [TestMethod]
    public void VocosStyleHonoursFMax()
    {
        using var scope = NewDisposeScope();
        using var feature = new MelSpectrogramFeature(24000, 1024, 256, 100, "center", fMax: 8000);
        var fb = feature.state_dict()["mel_spec.mel_scale.fb"];                      // (513, 100), bins 23.4375 Hz apart
        Assert.AreEqual(0f, fb.narrow(0, 342, 171).abs().max().item<float>(), "no filter reaches above 8 kHz");
        Assert.IsGreaterThan(0f, fb.narrow(0, 330, 12).narrow(1, 99, 1).max().item<float>(), "the top filter ends just below 8 kHz");
    }

    [TestMethod]
    [DataRow(false, "center", 1024, 256, 94L)]    // samples / hop + 1
    [DataRow(false, "same", 1024, 256, 93L)]      // (samples + 2 x 384 - 1024) / hop + 1
    [DataRow(true, "same", 1920, 480, 50L)]       // samples / hop
    public void FrameCountsFollowThePadding(bool bigvgan, string padding, int nFft, int hop, long frames)
    {
        using var scope = NewDisposeScope();
        using var feature = new MelSpectrogramFeature(24000, nFft, hop, 80, padding, bigvganStyleMel: bigvgan);
        var mel = feature.call(randn(2, 24000, generator: new Generator(1)) * 0.1);
        CollectionAssert.AreEqual(new[] { 2, 80, frames }, mel.shape);
    }

    [TestMethod]
    public void OneDimensionalInputIsABatchOfOne()
    {
        using var scope = NewDisposeScope();
        using var feature = new MelSpectrogramFeature(24000, 1024, 256, 100);
        var wave = randn(8000, generator: new Generator(4)) * 0.1;
        var single = feature.call(wave);
        CollectionAssert.AreEqual(new long[] { 1, 100, 32 }, single.shape);
        TensorAssert.Close(single, feature.call(wave.unsqueeze(0)), 0, "(T,) vs (1, T)");
    }

    [TestMethod]
    public void FromConfigUsesTheModelConfigsMelSettings()
    {
        var config = new KanadeModelConfig { NFft = 1920, HopLength = 480, NMels = 80, Padding = "same", MelFmax = 8000, BigvganStyleMel = true };
        using var feature = MelSpectrogramFeature.FromConfig(config);
        Assert.AreEqual((1920, 480, 80, "same", true), (feature.NFft, feature.HopLength, feature.NMels, feature.Padding, feature.BigvganStyleMel));
    }

    [TestMethod]
    public void UnknownPaddingIsRefusedByName()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new MelSpectrogramFeature(padding: "valid"));
        StringAssert.Contains(e.Message, "'center' or 'same'");
    }
}
