using Kanade.Vocoders;

namespace Kanade.Tests.Vocoders;

[TestClass]
public sealed class ConfigTests
{
    [TestMethod]
    public void VocosConfig_FixtureYaml_ReadsEverySection()
    {
        var config = VocosConfig.Load(Fixtures.Path("tiny12", "vocos_config.yaml"));
        Assert.AreEqual(new VocosMelFeaturesOptions { SampleRate = 24000, NFft = 1024, HopLength = 256, NMels = 100, Padding = "center" }, config.FeatureExtractor);
        Assert.AreEqual(new VocosBackboneOptions { InputChannels = 100, Dim = 32, IntermediateDim = 96, NumLayers = 2 }, config.Backbone);
        Assert.AreEqual(new IstftHeadOptions { Dim = 32, NFft = 1024, HopLength = 256, Padding = "center" }, config.Head);
    }

    [TestMethod]
    public void VocosConfig_UnknownInitArg_ThrowsNamingItAndTheAcceptedOnes()
    {
        string yaml = File.ReadAllText(Fixtures.Path("tiny12", "vocos_config.yaml")).Replace("num_layers: 2", "num_layers: 2\n    depth: 3");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => VocosConfig.Parse(yaml, "x.yaml"));
        StringAssert.Contains(error.Message, "unknown backbone.init_args 'depth'");
        StringAssert.Contains(error.Message, "intermediate_dim");
    }

    [TestMethod]
    public void VocosConfig_UnsupportedClass_ThrowsNamingTheSupportedOne()
    {
        string yaml = File.ReadAllText(Fixtures.Path("tiny12", "vocos_config.yaml")).Replace("vocos.heads.ISTFTHead", "vocos.heads.IMDCTCosHead");
        var error = Assert.ThrowsExactly<NotSupportedException>(() => VocosConfig.Parse(yaml, "x.yaml"));
        StringAssert.Contains(error.Message, "head.class_path is 'vocos.heads.IMDCTCosHead'; supported: 'vocos.heads.ISTFTHead'");
    }

    [TestMethod]
    public void VocosConfig_InvalidPadding_ThrowsAtConstruction()
    {
        var config = VocosConfig.Mel24kHz with { Head = VocosConfig.Mel24kHz.Head with { Padding = "valid" } };
        var error = Assert.ThrowsExactly<ArgumentException>(() => new Vocos(config));
        StringAssert.Contains(error.Message, "'center' or 'same'; got 'valid'");
    }

    [TestMethod]
    public void HiftOptions_FixtureJson_OverridesOnlyTheGivenKeys()
    {
        var options = HiftOptions.Load(Fixtures.Path("tiny25", "hift_config.json"));
        Assert.AreEqual(32, options.BaseChannels);
        Assert.AreEqual(32, options.F0PredictorChannels);
        CollectionAssert.AreEqual(new[] { 8, 5, 3 }, options.UpsampleRates.ToArray());
        Assert.AreEqual(10.0, options.NsfVoicedThreshold);
        Assert.AreEqual(480, options.SamplesPerFrame);
    }

    [TestMethod]
    public void HiftOptions_UnknownKey_ThrowsListingTheAcceptedKeys()
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => HiftOptions.Parse("""{"base_channel": 32}""", "h.json"));
        StringAssert.Contains(error.Message, "base_channel");
        StringAssert.Contains(error.Message, "f0_predictor_channels");
    }

    [TestMethod]
    public void HiftOptions_MismatchedStageLists_ThrowAtConstruction()
    {
        var options = HiftOptions.CosyVoice2 with { SourceResblockKernelSizes = [7, 7] };
        var error = Assert.ThrowsExactly<ArgumentException>(() => new HiftGenerator(options));
        StringAssert.Contains(error.Message, "one entry per up-sampling stage (3)");
    }
}
