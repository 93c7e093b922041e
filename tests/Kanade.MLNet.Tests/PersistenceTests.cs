using Kanade.Tests;
using Microsoft.ML;

namespace Kanade.MLNet.Tests;

[TestClass]
public sealed class PersistenceTests
{
    static readonly MLContext ml = new(seed: 1);

    static ITransformer Fit(IDataView data, KanadeModel model) =>
        ml.Transforms.LoadAudio(KanadeColumns.Waveform, KanadeColumns.Path, 24000, TestData.AudioRoot)
            .Append(ml.Transforms.KanadeEncode(model, new KanadeEncodingOptions { TokensAsKeys = true, BatchSize = 3 }))
            .Append(ml.Transforms.KanadeDecode(model))
            .Append(ml.Transforms.Vocode(TestData.Vocos))
            .Fit(data);

    [TestMethod]
    public void SavedPipelineLoadsBackAndGivesIdenticalOutputs()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, ["short_24k.wav", "real_rear_left_48k.wav"]));
        var fitted = Fit(data, TestData.Tiny12);
        string file = Path.Combine(folder.Path, "pipeline.json");
        KanadePipeline.Save(fitted, file);
        var loaded = KanadePipeline.Load(file);
        Assert.HasCount(4, loaded.ToList());
        var before = fitted.Transform(data);
        var after = loaded.Transform(data);
        var tokensBefore = TestData.Vectors<uint>(before, KanadeColumns.Tokens);
        var tokensAfter = TestData.Vectors<uint>(after, KanadeColumns.Tokens);
        for (int i = 0; i < 2; i++) CollectionAssert.AreEqual(tokensBefore[i], tokensAfter[i]);
        var waveBefore = TestData.Vectors<float>(before, KanadeColumns.Resynthesized);
        var waveAfter = TestData.Vectors<float>(after, KanadeColumns.Resynthesized);
        for (int i = 0; i < 2; i++) CollectionAssert.AreEqual(waveBefore[i], waveAfter[i], "vocoded waveform");
    }

    [TestMethod]
    public void MlNetModelSavePointsToKanadePipeline()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, ["short_24k.wav"]));
        var fitted = ml.Transforms.LoadAudio(KanadeColumns.Waveform, KanadeColumns.Path, 24000).Fit(data);
        var error = Assert.Throws<Exception>(() => ml.Model.Save(fitted, data.Schema, Path.Combine(folder.Path, "model.zip")));
        var inner = error as NotSupportedException ?? error.InnerException as NotSupportedException;
        Assert.IsNotNull(inner, $"expected a NotSupportedException, got {error.GetType().Name}: {error.Message}");
        StringAssert.Contains(inner.Message, "KanadePipeline.Save");
    }

    [TestMethod]
    public void LoadingRefusesAModelFileThatChangedSinceSaving()
    {
        using var folder = new TempDirectory();
        string config = Path.Combine(folder.Path, "model.yaml");
        File.Copy(TinyModels.Config("tiny12"), config);
        var model = KanadeModelReference.Load(config, TinyModels.Weights("tiny12"));
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, ["short_24k.wav"]));
        var fitted = ml.Transforms.KanadeEncode(model).Fit(ml.Transforms.LoadAudio(KanadeColumns.Waveform, KanadeColumns.Path, 24000).Fit(data).Transform(data));
        string file = Path.Combine(folder.Path, "pipeline.json");
        KanadePipeline.Save(fitted, file);
        File.AppendAllText(config, "\n# edited\n");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => KanadePipeline.Load(file));
        StringAssert.Contains(error.Message, config);
        StringAssert.Contains(error.Message, "SHA-256");
    }

    [TestMethod]
    public void SavingAModelOfUnknownFilesSaysHowToRegisterIt()
    {
        var model = TinyModels.Load("tiny12");
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, ["short_24k.wav"]));
        var fitted = ml.Transforms.KanadeEncode(model).Fit(ml.Transforms.LoadAudio(KanadeColumns.Waveform, KanadeColumns.Path, 24000).Fit(data).Transform(data));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => KanadePipeline.Save(fitted, Path.Combine(folder.Path, "p.json")));
        StringAssert.Contains(error.Message, "KanadeModelReference");
    }
}
