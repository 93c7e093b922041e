using Kanade.Ssl;

namespace Kanade.Tests.Ssl;

[TestClass]
public sealed class SslPresetsTests
{
    [TestMethod]
    public void RegistryHasEveryReferenceName()
    {
        CollectionAssert.AreEqual(
            new[] { "wav2vec2_base", "wav2vec2_large", "wav2vec2_large_lv60k", "hubert_base", "hubert_large", "hubert_xlarge",
                    "wavlm_base", "wavlm_base_plus", "wavlm_large" },
            SslPresets.Names.ToArray());
        foreach (var name in SslPresets.Names) Assert.AreEqual(16000, SslPresets.Get(name).SampleRate, name);
    }

    [TestMethod]
    public void OnlyWavLMPresetsHaveRelativePositionBias()
    {
        foreach (var name in SslPresets.Names)
            Assert.AreEqual(name.StartsWith("wavlm", StringComparison.Ordinal), SslPresets.Get(name).IsWavLM, name);
    }

    [TestMethod]
    public void LargeBundlesAreLayerNormPreNormWithWaveformNormalization()
    {
        string[] large = ["wav2vec2_large_lv60k", "hubert_large", "hubert_xlarge", "wavlm_large"];
        foreach (var name in SslPresets.Names)
        {
            var preset = SslPresets.Get(name);
            bool isLarge = large.Contains(name);
            Assert.AreEqual(isLarge, preset.NormalizeWaveform, name);
            Assert.AreEqual(isLarge, preset.Architecture.EncoderLayerNormFirst, name);
            Assert.AreEqual(isLarge ? "layer_norm" : "group_norm", preset.Architecture.ExtractorMode, name);
        }
    }

    [TestMethod]
    public void WidthsAndDepthsFollowTheBundles()
    {
        var expected = new Dictionary<string, (int Dim, int Layers, int Heads, int Ff)>
        {
            ["wav2vec2_base"] = (768, 12, 12, 3072), ["wav2vec2_large"] = (1024, 24, 16, 4096),
            ["wav2vec2_large_lv60k"] = (1024, 24, 16, 4096), ["hubert_base"] = (768, 12, 12, 3072),
            ["hubert_large"] = (1024, 24, 16, 4096), ["hubert_xlarge"] = (1280, 48, 16, 5120),
            ["wavlm_base"] = (768, 12, 12, 3072), ["wavlm_base_plus"] = (768, 12, 12, 3072), ["wavlm_large"] = (1024, 24, 16, 4096),
        };
        foreach (var (name, e) in expected)
        {
            var a = SslPresets.Get(name).Architecture;
            Assert.AreEqual(e, (a.EncoderEmbedDim, a.EncoderNumLayers, a.EncoderNumHeads, a.EncoderFfIntermFeatures), name);
        }
        Assert.IsTrue(SslPresets.Get("wav2vec2_large_lv60k").Architecture.ExtractorConvBias);
        Assert.AreEqual((320, 800), (SslPresets.Get("wavlm_base_plus").Architecture.EncoderNumBuckets,
                                     SslPresets.Get("wavlm_base_plus").Architecture.EncoderMaxDistance));
    }

    [TestMethod]
    public void UnknownNameListsTheKnownOnes()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => SslPresets.Get("wavlm_huge"));
        StringAssert.Contains(error.Message, "wavlm_huge");
        StringAssert.Contains(error.Message, "wavlm_base_plus");
    }

    [TestMethod]
    public void ExplicitParamsOverrideTheRegistry()
    {
        var architecture = TinySsl.Architecture("tiny12");
        var preset = SslPresets.Resolve(new SslFeatureExtractorOptions { ModelName = "wavlm_tiny", Params = architecture });
        Assert.AreSame(architecture, preset.Architecture);
        Assert.AreEqual("wavlm_tiny", preset.Name);
        Assert.AreEqual(16000, preset.SampleRate);
        Assert.IsFalse(preset.NormalizeWaveform);
    }
}
