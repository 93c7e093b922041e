using TorchSharp;
using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Tests.Model;

[TestClass]
public sealed class KanadeModelLoadingTests
{
    [TestMethod]
    [DataRow("tiny12")]
    [DataRow("tiny25")]
    public void FullStateDictLoadsWithNothingMissingOrUnexpected(string set)
    {
        var model = new KanadeModel(ModelConfigLoader.Load(Fixtures.Path(set, "model.yaml")));
        var report = model.LoadWeights(Fixtures.Path(set, "model_full.safetensors"));
        Assert.IsTrue(report.IsComplete, report.Describe());
        Assert.IsEmpty(report.AbsentOnPurpose, report.Describe());
    }

    [TestMethod]
    [DataRow("tiny12", new[] { "feature_decoder", "conv_upsample", "ssl_feature_extractor.resampler" })]
    [DataRow("tiny25", new[] { "feature_decoder", "conv_upsample", "ssl_feature_extractor.resampler" })]
    public void ExportPlusSslFileIsACompleteInferenceModel(string set, string[] absentModules)
    {
        var model = new KanadeModel(ModelConfigLoader.Load(Fixtures.Path(set, "model.yaml")));
        var report = model.LoadWeights(Fixtures.Path(set, "model.safetensors"), Fixtures.Path(set, "ssl.safetensors"));
        model.to(Fixtures.Device); // compared bit for bit with the shared model, so on the same device
        Assert.IsTrue(report.IsComplete, report.Describe());
        var absentPrefixes = report.AbsentOnPurpose.Select(n => n[..n.LastIndexOf('.')]).Distinct().ToArray();
        foreach (string module in absentModules)
            Assert.IsTrue(report.AbsentOnPurpose.Any(n => n.StartsWith(module + ".")), $"{module} should be reported absent; report: {report.Describe()}");
        Assert.IsTrue(report.AbsentOnPurpose.All(n => absentModules.Any(m => n.StartsWith(m + "."))), string.Join(", ", absentPrefixes));

        var wave = AudioFile.Load(Fixtures.Audio("real_rear_left_48k.wav"), 24000);
        using var fromExport = model.Encode(wave);
        using var fromFull = TinyModels.Get(set).Encode(wave);
        TensorAssert.Equal(fromExport.ContentTokenIndices!, fromFull.ContentTokenIndices!, "tokens");
        TensorAssert.Identical(fromExport.GlobalEmbedding!, fromFull.GlobalEmbedding!, "global embedding");
        TensorAssert.Identical(model.Decode(fromExport.GlobalEmbedding!, fromExport.ContentTokenIndices),
                               TinyModels.Get(set).Decode(fromFull.GlobalEmbedding!, fromFull.ContentTokenIndices), "mel");
    }

    [TestMethod]
    public void ExportWithoutSslWeightsSaysWhichFileToGet()
    {
        var error = Assert.ThrowsExactly<FileNotFoundException>(() =>
            KanadeModel.FromPretrained(Fixtures.Path("tiny12", "model.yaml"), Fixtures.Path("tiny12", "model.safetensors")));
        StringAssert.Contains(error.Message, "model.safetensors");
        StringAssert.Contains(error.Message, "sslWeightsPath");
    }

    [TestMethod]
    public void CheckpointOfAnotherArchitectureNamesTheMismatchedTensors()
    {
        // tiny25's export has other widths (no prenet output projection, 80 mels): the 12 Hz config must refuse it.
        var error = Assert.ThrowsExactly<WeightLoadException>(() => KanadeModel.FromPretrained(
            Fixtures.Path("tiny12", "model.yaml"), Fixtures.Path("tiny25", "model.safetensors"), Fixtures.Path("tiny25", "ssl.safetensors")));
        StringAssert.Contains(error.Message, "mel_prenet.output_proj.weight");
        StringAssert.Contains(error.Message, "mel_decoder.output_proj.weight");
    }

    [TestMethod]
    public void EvalIsDeterministicEvenWithDropoutInTheConfig()
    {
        var definition = ModelConfigLoader.Load(Fixtures.Path("tiny12", "model.yaml"));
        definition = definition with
        {
            LocalEncoder = definition.LocalEncoder with { Dropout = 0.1 },
            MelPrenet = definition.MelPrenet with { Dropout = 0.1 },
            MelDecoder = definition.MelDecoder with { Dropout = 0.1 },
            MelPostnet = definition.MelPostnet with { Dropout = 0.5 },
        };
        var model = new KanadeModel(definition);
        model.LoadWeights(Fixtures.Path("tiny12", "model_full.safetensors"));
        model.to(Fixtures.Device); // compared bit for bit with the shared model, so on the same device
        var wave = AudioFile.Load(Fixtures.Audio("short_24k.wav"), 24000);
        using var first = model.Encode(wave);
        using var second = model.Encode(wave);
        TensorAssert.Identical(second.ContentEmbedding!, first.ContentEmbedding!, "second encode");
        TensorAssert.Identical(model.Decode(first.GlobalEmbedding!, first.ContentTokenIndices),
                               model.Decode(first.GlobalEmbedding!, first.ContentTokenIndices), "second decode");
        // Dropout 0 gives the same numbers: eval really turns it off.
        using var reference = TinyModels.Get("tiny12").Encode(wave);
        TensorAssert.Identical(first.ContentEmbedding!, reference.ContentEmbedding!, "dropout 0.1 vs 0 in eval");
    }

    [TestMethod]
    public void ConfigFiguresAreExposed()
    {
        var model = TinyModels.Get("tiny12");
        Assert.AreEqual(12.5, model.TokenRate);
        Assert.AreEqual(12800L, model.VocabularySize);
        Assert.AreEqual(16, model.GlobalDim);
        Assert.AreEqual("vocos", model.Config.VocoderName);
        Assert.AreEqual(25.0, TinyModels.Get("tiny25").TokenRate);
        Assert.AreEqual("hift", TinyModels.Get("tiny25").Config.VocoderName);
    }
}
