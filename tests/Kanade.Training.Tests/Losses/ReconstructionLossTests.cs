using Kanade.IO;
using Kanade.Tests;
using Kanade.Training.Config;
using Kanade.Training.Losses;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Losses;

[TestClass]
public sealed class ReconstructionLossTests
{
    // The pipeline_config weights of tiny12/train.yaml and tiny25/train.yaml (the rest are defaults).
    static readonly KanadePipelineConfig Tiny12 = new() { FeatureL1Weight = 0, FeatureL2Weight = 30, MelL1Weight = 30, MelL2Weight = 0 };
    static readonly KanadePipelineConfig Tiny25 = new() { TrainFeature = false, MelL1Weight = 30 };

    static System.Text.Json.JsonElement Figures(string set) =>
        Fixtures.Json.RootElement.GetProperty("clips").GetProperty(set).GetProperty("train_step");

    static void AssertComponents(string set, KanadePipelineConfig config, string[] expectedNames)
    {
        using var scope = NewDisposeScope();
        var step = SafeTensors.Load(Fixtures.Path(set, "train_step.safetensors"));
        var (total, components) = Loss(config, step);
        var figures = Figures(set);
        CollectionAssert.AreEquivalent(expectedNames, components.Keys.ToArray());
        foreach (var (name, value) in components)
        {
            double expected = figures.GetProperty("components").GetProperty(name).GetDouble();
            Assert.AreEqual(expected, value.item<float>(), 1e-4 * Math.Abs(expected), name);
        }
        double loss = figures.GetProperty("loss").GetDouble();
        Assert.AreEqual(loss, total.item<float>(), 1e-4 * loss, "loss");
        Assert.AreEqual(step["loss"].item<float>(), total.item<float>(), 1e-4 * loss, "loss tensor");
    }

    static (Tensor, IReadOnlyDictionary<string, Tensor>) Loss(KanadePipelineConfig config, Dictionary<string, Tensor> step) =>
        ReconstructionLoss.Compute(config, step["ssl_real"], step["ssl_recon"], step["mel_real"], step["mel_recon"]);

    [TestMethod]
    public void FeatureAndMelComponentsOfTiny12MatchReference() =>
        AssertComponents("tiny12", Tiny12, ["ssl_l1", "ssl_l2", "feature_loss", "mel_l1", "mel_l2", "mel_loss"]);

    [TestMethod]
    public void MelOnlyComponentsOfTiny25MatchReference() =>
        AssertComponents("tiny25", Tiny25, ["mel_l1", "mel_l2", "mel_loss"]);

    [TestMethod]
    public void WeightsCombineL1AndL2()
    {
        // recon - real = [1, -3]: L1 = 2, L2 = 5; 0.5 x 2 + 2 x 5 = 11 for features, 3 x 2 + 1 x 5 = 11 for mel.
        var real = zeros(1, 1, 2);
        var recon = tensor(new float[] { 1, -3 }).reshape(1, 1, 2);
        var config = new KanadePipelineConfig { FeatureL1Weight = 0.5, FeatureL2Weight = 2, MelL1Weight = 3, MelL2Weight = 1 };
        var (total, components) = ReconstructionLoss.Compute(config, real, recon, real, recon);
        Assert.AreEqual(11f, components["feature_loss"].item<float>());
        Assert.AreEqual(11f, components["mel_loss"].item<float>());
        Assert.AreEqual(22f, total.item<float>());
    }

    [TestMethod]
    public void MismatchedFeatureLengthsPointAtTheAudioLength()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            ReconstructionLoss.Compute(new KanadePipelineConfig { TrainMel = false }, zeros(1, 75, 4), zeros(1, 72, 4), null, null));
        StringAssert.Contains(error.Message, "shape [1, 72, 4] but the real ones [1, 75, 4]");
        StringAssert.Contains(error.Message, "audio_length");
    }
}
