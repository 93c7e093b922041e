using System.Text.Json;
using Kanade.IO;

namespace Kanade.Tests.IO;

[TestClass]
public sealed class ModelConfigLoaderTests
{
    static string Shipped(string relative) => Path.Combine(Fixtures.RepoRoot, "config", relative);

    /// <summary>Definitions compared by value (records holding lists compare lists by reference).</summary>
    static string Json(KanadeModelDefinition definition, bool withFeatureDecoder = true) =>
        JsonSerializer.Serialize(definition with { SourcePath = null, FeatureDecoder = withFeatureDecoder ? definition.FeatureDecoder : null });

    [TestMethod]
    public void Shipped12HzConfigHasThePublishedValues()
    {
        var d = ModelConfigLoader.Load(Shipped("model/12hz.yaml"));

        Assert.AreEqual(4, d.Config.DownsampleFactor);
        Assert.AreEqual(8, d.Config.MelUpsampleFactor);
        CollectionAssert.AreEqual(new[] { 6, 9 }, d.Config.LocalSslLayers.ToArray());
        Assert.AreEqual("center", d.Config.Padding);
        Assert.AreEqual("vocos", d.Config.VocoderName);
        Assert.AreEqual("wavlm_base_plus", d.SslFeatureExtractor.ModelName);
        Assert.AreEqual(9, d.SslFeatureExtractor.OutputLayer);
        Assert.AreEqual(24000, d.SslFeatureExtractor.SampleRate);
        Assert.AreEqual(125, d.LocalEncoder.WindowSize);
        Assert.AreEqual(10000.0, d.LocalEncoder.RopeTheta);
        Assert.IsTrue(d.LocalEncoder.UseFlashAttention);
        Assert.AreEqual(0.1, d.LocalEncoder.Dropout, "reference default");
        Assert.AreEqual(12800, d.LocalQuantizer.Levels.Aggregate(1, (a, b) => a * b));
        Assert.IsNotNull(d.FeatureDecoder);
        Assert.AreEqual(31, d.MelPrenet.WindowSize);
        Assert.AreEqual(512, d.MelPrenet.OutputDim);
        Assert.AreEqual(512, d.MelDecoder.Dim);
        Assert.AreEqual(8, d.MelDecoder.NHeads);
        Assert.AreEqual(128, d.MelDecoder.AdanormConditionDim);
        Assert.IsTrue(d.MelDecoder.UseAdalnZero);
        Assert.AreEqual(256, d.MelPostnet.Channels);
        Assert.IsTrue(d.MelPostnet.UseLayerNorm);
        Assert.AreEqual(Shipped("model/12hz.yaml"), d.SourcePath);
    }

    [TestMethod]
    public void Shipped25HzConfigDiffersFrom12HzOnlyInRates()
    {
        var d12 = ModelConfigLoader.Load(Shipped("model/12hz.yaml"));
        var d25 = ModelConfigLoader.Load(Shipped("model/25hz.yaml"));

        Assert.AreEqual(2, d25.Config.DownsampleFactor);
        Assert.AreEqual(4, d25.Config.MelUpsampleFactor);
        Assert.AreEqual(65, d25.MelPrenet.WindowSize);
        var aligned = d25 with
        {
            Config = d25.Config with { DownsampleFactor = 4, MelUpsampleFactor = 8, LocalSslLayers = d12.Config.LocalSslLayers, GlobalSslLayers = d12.Config.GlobalSslLayers },
            MelPrenet = d25.MelPrenet with { WindowSize = 31 },
        };
        Assert.AreEqual(Json(d12), Json(aligned));
    }

    [TestMethod]
    public void Shipped25HzCleanConfigHasThePublishedValues()
    {
        var d = ModelConfigLoader.Load(Shipped("model/25hz_clean.yaml"));

        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4 }, d.Config.GlobalSslLayers.ToArray());
        Assert.AreEqual(2, d.Config.MelUpsampleFactor);
        Assert.AreEqual(1920, d.Config.NFft);
        Assert.AreEqual(480, d.Config.HopLength);
        Assert.AreEqual(80, d.Config.NMels);
        Assert.AreEqual("same", d.Config.Padding);
        Assert.AreEqual(0, d.Config.MelFmin);
        Assert.AreEqual(8000, d.Config.MelFmax);
        Assert.IsTrue(d.Config.BigvganStyleMel);
        Assert.AreEqual("hift", d.Config.VocoderName);
        Assert.IsNull(d.FeatureDecoder);
        Assert.IsNull(d.MelPrenet.OutputDim);
        Assert.AreEqual(768, d.MelDecoder.Dim);
        Assert.AreEqual(80, d.MelDecoder.OutputDim);
        Assert.AreEqual(80, d.MelPostnet.InputChannels);
    }

    [TestMethod]
    [DataRow("12hz", "12hz")]
    [DataRow("25hz", "25hz")]
    [DataRow("25hz_clean", "25hz_clean")]
    public void ShippedModelConfigsProduceTheManifestArchitectures(string config, string manifest)
    {
        var d = ModelConfigLoader.Load(Shipped($"model/{config}.yaml"));
        var doc = Fixtures.Manifests;
        var export = doc.RootElement.GetProperty(manifest).GetProperty("export");
        var full = doc.RootElement.GetProperty(manifest).GetProperty("full_state_dict");
        long[] Shape(string name) => export.GetProperty(name)[0].EnumerateArray().Select(e => e.GetInt64()).ToArray();
        int Layers(string module) => export.EnumerateObject().Select(p => p.Name)
            .Where(n => n.StartsWith(module + ".layers.", StringComparison.Ordinal))
            .Select(n => int.Parse(n.Split('.')[2])).Max() + 1;
        int prenetOut = d.MelPrenet.OutputDim ?? d.MelPrenet.Dim;

        CollectionAssert.AreEqual(new long[] { d.LocalEncoder.Dim, d.LocalEncoder.Dim, d.Config.DownsampleFactor }, Shape("conv_downsample.weight"));
        CollectionAssert.AreEqual(new long[] { prenetOut, prenetOut, d.Config.MelUpsampleFactor }, Shape("mel_conv_upsample.weight"));
        CollectionAssert.AreEqual(new long[] { d.LocalQuantizer.Levels.Count, d.LocalQuantizer.InputDim }, Shape("local_quantizer.proj_in.weight"));
        CollectionAssert.AreEqual(new long[] { d.LocalQuantizer.OutputDim, d.LocalQuantizer.Levels.Count }, Shape("local_quantizer.proj_out.weight"));
        CollectionAssert.AreEqual(new long[] { d.GlobalEncoder.Dim, d.GlobalEncoder.InputChannels, 7 }, Shape("global_encoder.backbone.embed.weight"));
        CollectionAssert.AreEqual(new long[] { d.GlobalEncoder.OutputChannels, 2 * d.GlobalEncoder.Dim }, Shape("global_encoder.pooling.proj.weight"));
        CollectionAssert.AreEqual(new long[] { d.MelDecoder.OutputDim!.Value, d.MelDecoder.Dim }, Shape("mel_decoder.output_proj.weight"));
        CollectionAssert.AreEqual(new long[] { d.MelPostnet.Channels, d.MelPostnet.InputChannels, d.MelPostnet.KernelSize }, Shape("mel_postnet.convolutions.0.0.weight"));
        Assert.AreEqual(d.MelPrenet.OutputDim is not null, export.TryGetProperty("mel_prenet.output_proj.weight", out _));
        Assert.AreEqual(d.LocalEncoder.NLayers, Layers("local_encoder"));
        Assert.AreEqual(d.MelPrenet.NLayers, Layers("mel_prenet"));
        Assert.AreEqual(d.MelDecoder.NLayers, Layers("mel_decoder"));
        Assert.AreEqual(d.FeatureDecoder is not null, full.EnumerateObject().Any(p => p.Name.StartsWith("feature_decoder.", StringComparison.Ordinal)));
    }

    [TestMethod]
    [DataRow("12hz_pretrain", "12hz")]
    [DataRow("12hz_gan", "12hz")]
    [DataRow("25hz_pretrain", "25hz")]
    [DataRow("25hz_gan", "25hz")]
    [DataRow("25hz_clean", "25hz_clean")]
    public void ShippedTrainingConfigsHoldTheSameModel(string train, string model)
    {
        var fromTrain = ModelConfigLoader.Load(Shipped($"train/{train}.yaml"));
        var fromModel = ModelConfigLoader.Load(Shipped($"model/{model}.yaml"));

        // 25hz_clean trains without the feature decoder that its pipeline still declares.
        Assert.AreEqual(Json(fromModel, withFeatureDecoder: false), Json(fromTrain, withFeatureDecoder: false));
        Assert.IsNotNull(fromTrain.FeatureDecoder);
    }

    [TestMethod]
    [DataRow("tiny12")]
    [DataRow("tiny25")]
    public void FixtureConfigsLoadWithTheirWavLMArchitecture(string set)
    {
        var d = ModelConfigLoader.Load(Fixtures.Path(set, "model.yaml"));

        Assert.AreEqual("wavlm_tiny", d.SslFeatureExtractor.ModelName);
        var wavlm = d.SslFeatureExtractor.Params!;
        Assert.AreEqual(64, wavlm.EncoderEmbedDim);
        Assert.AreEqual(9, wavlm.EncoderNumLayers);
        Assert.AreEqual(32, wavlm.EncoderNumBuckets);
        Assert.IsNull(wavlm.AuxNumOut);
        Assert.HasCount(7, wavlm.ExtractorConvLayerConfig!);
        CollectionAssert.AreEqual(new[] { 32, 10, 5 }, wavlm.ExtractorConvLayerConfig![0].ToArray());
        Assert.AreEqual(0.0, d.LocalEncoder.Dropout);
        Assert.AreEqual(16, d.LocalEncoder.MultipleOf);
        Assert.AreEqual(0.0, d.MelPostnet.Dropout);
    }

    [TestMethod]
    [DataRow("tiny12", "train.yaml")]
    [DataRow("tiny12", "train_gan.yaml")]
    [DataRow("tiny25", "train.yaml")]
    public void FixtureTrainingConfigsHoldTheirModelConfig(string set, string train)
    {
        Assert.AreEqual(Json(ModelConfigLoader.Load(Fixtures.Path(set, "model.yaml"))),
                        Json(ModelConfigLoader.Load(Fixtures.Path(set, train))));
    }
}
