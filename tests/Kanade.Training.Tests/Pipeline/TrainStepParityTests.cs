using Kanade.Tests;
using Kanade.Training.Pipeline;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Pipeline;

/// <summary>One pretraining step of KanadeTrainingPipeline against the reference's train_step fixtures.</summary>
[TestClass]
public sealed class TrainStepParityTests
{
    public TestContext TestContext { get; set; } = null!;

    static void AssertStep(string set, string[] components, TestContext context)
    {
        using var scope = NewDisposeScope();
        using var pipeline = TrainStepFixtures.Pipeline(set);
        var figures = TrainStepFixtures.Figures(set);

        var result = pipeline.Step(TrainStepFixtures.Batch(set));

        CollectionAssert.AreEquivalent(components.Append("loss").ToArray(), result.Losses.Keys.ToArray());
        foreach (string name in components)
            TrainStepFixtures.Relative(figures.GetProperty("components").GetProperty(name).GetDouble(), result.Losses[name], 1e-4, name);
        TrainStepFixtures.Relative(figures.GetProperty("loss").GetDouble(), result.Losses["loss"], 1e-4, "loss");
        TrainStepFixtures.Relative(figures.GetProperty("grad_norm").GetDouble(), result.GradNorm, 1e-3, "grad_norm");
        TrainStepFixtures.Relative(figures.GetProperty("perplexity").GetDouble(), result.Perplexity!.Value, 1e-4, "perplexity");
        Assert.AreEqual(figures.GetProperty("lr").GetDouble(), result.LearningRate, 1e-12, "lr of the first one-cycle step");

        var (worst, count) = TrainStepFixtures.AssertAfterStep(pipeline.Model.state_dict(), Fixtures.Path(set, "train_step_after.safetensors"), "", 1e-5);
        context.WriteLine($"{set}: {count} tensors after the AdamW step, max |diff| {worst:E2}; grad_norm {result.GradNorm} vs {figures.GetProperty("grad_norm").GetDouble()}");
    }

    [TestMethod]
    public void Tiny12StepMatchesReferenceLossesGradNormAndWeights() =>
        AssertStep("tiny12", ["ssl_l1", "ssl_l2", "feature_loss", "mel_l1", "mel_l2", "mel_loss"], TestContext);

    [TestMethod]
    public void Tiny25MelOnlyStepMatchesReferenceLossesGradNormAndWeights() =>
        AssertStep("tiny25", ["mel_l1", "mel_l2", "mel_loss"], TestContext);

    [TestMethod]
    public void FrozenLocalBranchOfTiny25DoesNotMove()
    {
        using var scope = NewDisposeScope();
        using var pipeline = TrainStepFixtures.Pipeline("tiny25");
        var before = pipeline.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        pipeline.Step(TrainStepFixtures.Batch("tiny25"));

        foreach (var (name, value) in pipeline.Model.state_dict())
        {
            bool frozen = name.StartsWith("local_encoder.") || name.StartsWith("local_quantizer.") || name.StartsWith("feature_decoder.")
                          || name.StartsWith("conv_downsample.") || name.StartsWith("conv_upsample.") || name.StartsWith("ssl_feature_extractor.");
            bool same = (value == before[name]).all().item<bool>();
            Assert.AreEqual(frozen, same, $"{name}: {(frozen ? "frozen but moved" : "trainable but did not move")}");
        }
    }
}
