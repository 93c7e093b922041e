using Kanade.Tests;
using Kanade.Training.Pipeline;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Pipeline;

/// <summary>One GAN post-training step (discriminator, then generator) of tiny12/train_gan.yaml against gan_step_after.safetensors.</summary>
[TestClass]
public sealed class GanStepParityTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void GanStepMatchesReferenceLossesGradNormsAndWeights()
    {
        using var scope = NewDisposeScope();
        using var pipeline = TrainStepFixtures.Pipeline("tiny12", "train_gan.yaml");
        var figures = TrainStepFixtures.Figures("tiny12").GetProperty("gan_step");

        var result = pipeline.Step(TrainStepFixtures.Batch("tiny12"));

        Assert.IsTrue(result.DiscriminatorTrained);
        TrainStepFixtures.Relative(figures.GetProperty("disc_loss").GetDouble(), result.DiscriminatorLosses["loss"], 1e-4, "disc_loss");
        TrainStepFixtures.Relative(figures.GetProperty("disc_real_loss").GetDouble(), result.DiscriminatorLosses["real"], 1e-4, "disc_real_loss");
        TrainStepFixtures.Relative(figures.GetProperty("disc_fake_loss").GetDouble(), result.DiscriminatorLosses["fake"], 1e-4, "disc_fake_loss");
        TrainStepFixtures.Relative(figures.GetProperty("disc_grad_norm").GetDouble(), result.DiscriminatorGradNorm!.Value, 1e-3, "disc_grad_norm");
        TrainStepFixtures.Relative(figures.GetProperty("gen_adv_loss").GetDouble(), result.Losses["adv_loss"], 1e-4, "gen_adv_loss");
        TrainStepFixtures.Relative(figures.GetProperty("feature_matching_loss").GetDouble(), result.Losses["feature_matching_loss"], 1e-4, "feature_matching_loss");
        TrainStepFixtures.Relative(figures.GetProperty("recon_loss").GetDouble(), result.Losses["feature_loss"] + result.Losses["mel_loss"], 1e-4, "recon_loss");
        TrainStepFixtures.Relative(figures.GetProperty("gen_loss").GetDouble(), result.Losses["loss"], 1e-4, "gen_loss");
        TrainStepFixtures.Relative(figures.GetProperty("gen_grad_norm").GetDouble(), result.GradNorm, 1e-3, "gen_grad_norm");
        foreach (var (name, value) in figures.GetProperty("components").EnumerateObject().Select(p => (p.Name, p.Value.GetDouble())))
            TrainStepFixtures.Relative(value, result.Losses[name], 1e-4, name);

        string file = Fixtures.Path("tiny12", "gan_step_after.safetensors");
        var (modelWorst, modelCount) = TrainStepFixtures.AssertAfterStep(pipeline.Model.state_dict(), file, "", 1e-5);
        var (discWorst, discCount) = TrainStepFixtures.AssertAfterStep(pipeline.Discriminator!.state_dict(), file, "discriminator.", 1e-5);
        Assert.AreEqual(pipeline.Discriminator.state_dict().Count, discCount, "every discriminator tensor compared");
        TestContext.WriteLine($"model: {modelCount} tensors, max |diff| {modelWorst:E2}; discriminator: {discCount} tensors, max |diff| {discWorst:E2}; " +
                              $"disc grad norm {result.DiscriminatorGradNorm} vs {figures.GetProperty("disc_grad_norm").GetDouble()}, gen grad norm {result.GradNorm} vs {figures.GetProperty("gen_grad_norm").GetDouble()}");
    }
}
