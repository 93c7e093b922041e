using Kanade.IO;
using Kanade.Tests;
using Kanade.Training.Config;
using Kanade.Training.Pipeline;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Pipeline;

[TestClass]
public sealed class PipelineBehaviourTests
{
    static KanadeTrainingConfig Config(string yaml, params string[] overrides) => TrainingConfigLoader.Load(Fixtures.Path("tiny12", yaml), overrides);

    [TestMethod]
    public void AccumulatedMicroBatchesTakeTheStepOfTheirJointBatch()
    {
        // Equal-size micro-batches: the mean of their mean losses is the joint batch's mean loss, so the gradient is the same.
        using var scope = NewDisposeScope();
        var batch = TrainStepFixtures.Batch("tiny12");
        using var joint = TrainStepFixtures.Pipeline("tiny12");
        using var accumulated = TrainStepFixtures.Pipeline("tiny12");

        var expected = joint.Step(batch);
        var actual = accumulated.Step([batch[0..1], batch[1..2]]);

        Assert.AreEqual(expected.GradNorm, actual.GradNorm, 1e-4 * expected.GradNorm, "grad norm");
        Assert.AreEqual(expected.Losses["loss"], actual.Losses["loss"], 1e-4 * expected.Losses["loss"], "loss");
        var weights = accumulated.Model.state_dict();
        // The first AdamW update is lr * g / (|g| + eps): an element whose gradient is within rounding of zero may move by
        // up to lr (2e-5) differently; everything else agrees to rounding.
        var differences = joint.Model.state_dict().Where(kv => kv.Value.is_floating_point())
            .Select(kv => (kv.Value - weights[kv.Key]).abs().flatten()).ToArray();
        var all = cat(differences);
        Assert.IsLessThanOrEqualTo(2e-5, all.max().item<float>(), "largest difference");
        Assert.IsLessThanOrEqualTo(1e-4, (all > 1e-7).to(float32).mean().item<float>(), "share of weights differing by more than 1e-7");
    }

    [TestMethod]
    public void LightningCountingAdvancesTwoStepsPerGanStep()
    {
        using var scope = NewDisposeScope();
        using var lightning = KanadeTrainingPipeline.FromConfig(Config("train_gan.yaml"), new TrainingPipelineOptions
        {
            StepCounting = StepCounting.LightningOptimizerSteps,
            SslWeightsPath = Fixtures.Path("tiny12", "ssl.safetensors"),
        });
        using var training = TrainStepFixtures.Pipeline("tiny12", "train_gan.yaml");
        var batch = TrainStepFixtures.Batch("tiny12");

        lightning.Step(batch);
        training.Step(batch);

        Assert.AreEqual((2L, 1L, 2L), (lightning.GlobalStep, lightning.TrainingSteps, lightning.OptimizerSteps));
        Assert.AreEqual((1L, 1L, 2L), (training.GlobalStep, training.TrainingSteps, training.OptimizerSteps));
    }

    [TestMethod]
    public void DiscriminatorWaitsForItsStartStep()
    {
        using var scope = NewDisposeScope();
        var config = Config("train_gan.yaml", "--model.pipeline_config.discriminator_start_step", "1");
        using var pipeline = KanadeTrainingPipeline.FromConfig(config, new TrainingPipelineOptions { SslWeightsPath = Fixtures.Path("tiny12", "ssl.safetensors") });
        var batch = TrainStepFixtures.Batch("tiny12");

        var first = pipeline.Step(batch);
        var second = pipeline.Step(batch);

        Assert.IsFalse(first.DiscriminatorTrained);
        Assert.IsFalse(first.Losses.ContainsKey("adv_loss"));
        Assert.IsTrue(second.DiscriminatorTrained);
        Assert.IsTrue(second.Losses.ContainsKey("feature_matching_loss"));
        Assert.AreEqual(2L, pipeline.DiscriminatorScheduler!.LastStep, "the discriminator's schedule steps every step, trained or not");
    }

    [TestMethod]
    public void StepWithoutSslWeightsIsRefused()
    {
        using var pipeline = KanadeTrainingPipeline.FromConfig(Config("train.yaml"));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => pipeline.Step(zeros(1, 1, 34560)));
        StringAssert.Contains(error.Message, "SSL model still has random weights");
    }

    [TestMethod]
    public void BatchOfAnotherLengthIsRefused()
    {
        using var pipeline = TrainStepFixtures.Pipeline("tiny12");
        var error = Assert.ThrowsExactly<ArgumentException>(() => pipeline.Step(zeros(2, 1, 36000)));
        StringAssert.Contains(error.Message, "audio_length = 34560");
    }

    [TestMethod]
    public void SkippedModulesKeepTheirInitialisationWhileTheRestLoads()
    {
        // A Lightning-style file (model.* and discriminator.*) read through pipeline_config.ckpt_path.
        using var scope = NewDisposeScope();
        string path = Path.Combine(Path.GetTempPath(), $"kanade-lightning-{Guid.NewGuid():N}.safetensors");
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in SafeTensors.Load(Fixtures.Path("tiny12", "model_full.safetensors"))) tensors["model." + name] = tensor;
        foreach (var (name, tensor) in SafeTensors.Load(Fixtures.Path("tiny12", "discriminator.safetensors"))) tensors["discriminator." + name] = tensor;
        SafeTensors.Save(path, tensors);
        try
        {
            var config = Config("train_gan.yaml", "--model.pipeline_config.ckpt_path", path,
                "--model.pipeline_config.skip_loading_modules", "[mel_decoder, mel_postnet]");
            using var pipeline = KanadeTrainingPipeline.FromConfig(config);

            var state = pipeline.Model.state_dict();
            Assert.IsTrue(pipeline.SslWeightsLoaded);
            Assert.IsTrue(state["mel_prenet.norm.weight"].equal(tensors["model.mel_prenet.norm.weight"]).all().item<bool>(), "loaded");
            Assert.IsFalse(state["mel_postnet.convolutions.0.0.weight"].equal(tensors["model.mel_postnet.convolutions.0.0.weight"]).all().item<bool>(), "skipped");
            var discriminator = pipeline.Discriminator!.state_dict();
            Assert.IsTrue(discriminator["conv_post.bias"].equal(tensors["discriminator.conv_post.bias"]).all().item<bool>(), "discriminator loaded");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void CheckpointOfAnotherArchitectureIsRefusedNamingTensors()
    {
        using var pipeline = KanadeTrainingPipeline.FromConfig(Config("train.yaml"));
        var error = Assert.ThrowsExactly<WeightLoadException>(() => pipeline.LoadWeights(Fixtures.Path("tiny25", "model_full.safetensors")));
        StringAssert.Contains(error.Message, "mis-shaped");
    }

    [TestMethod]
    public void HubIdsAreRefusedWithAHint()
    {
        var error = Assert.ThrowsExactly<NotSupportedException>(() => PipelineWeights.Read("hf:frothywater/kanade-12.5hz"));
        StringAssert.Contains(error.Message, "download the repository's model.safetensors");
    }

    [TestMethod]
    public void LightningCheckpointSplitsIntoModelAndDiscriminator()
    {
        using var weights = PipelineWeights.Read(Path.Combine(Fixtures.RepoRoot, "tests", "Kanade.Tests", "Data", "checkpoints", "lightning.ckpt"));
        Assert.AreEqual("Lightning checkpoint", weights.Kind);
        CollectionAssert.AreEquivalent(new[] { "encoder.weight", "decoder.bias" }, weights.Model.Keys.ToArray());
        CollectionAssert.AreEqual(new[] { "stacks.0.0.bias" }, weights.Discriminator.Keys.ToArray());
        CollectionAssert.AreEqual(new float[] { 0.5f, -0.5f }, weights.Model["decoder.bias"].data<float>().ToArray());
    }

    [TestMethod]
    public void Bf16MixedStepKeepsFloat32MastersAndTracksFloat32Losses()
    {
        // bf16-mixed is meant for CUDA; asked for explicitly it runs on the CPU too, which checks the path's plumbing.
        using var scope = NewDisposeScope();
        using var reference = TrainStepFixtures.Pipeline("tiny12");
        using var mixed = KanadeTrainingPipeline.FromConfig(Config("train.yaml"), new TrainingPipelineOptions { Precision = PrecisionMode.Bf16Mixed });
        mixed.LoadWeights(Fixtures.Path("tiny12", "model_full.safetensors"));
        var batch = TrainStepFixtures.Batch("tiny12");

        var expected = reference.Step(batch);
        var actual = mixed.Step(batch);

        Assert.AreEqual(PrecisionMode.Bf16Mixed, mixed.Precision);
        Assert.IsTrue(mixed.Model.parameters().All(p => p.dtype == ScalarType.Float32), "master weights stay float32");
        foreach (string name in new[] { "mel_l1", "ssl_l2", "loss" })
            Assert.AreEqual(expected.Losses[name], actual.Losses[name], 0.03 * expected.Losses[name], name);
        Assert.AreEqual(expected.GradNorm, actual.GradNorm, 0.1 * expected.GradNorm, "grad norm");
        // The first AdamW step moves each weight by about lr = 2e-5 in the direction of its gradient's sign.
        var weights = mixed.Model.state_dict();
        double moved = reference.Model.state_dict().Where(kv => !kv.Key.StartsWith("ssl_"))
            .Average(kv => (kv.Value - weights[kv.Key]).abs().max().item<float>());
        Assert.IsLessThanOrEqualTo(4e-5, moved, "bf16 weights follow the float32 step");
    }

    [TestMethod]
    public void Bf16MixedGanStepTracksFloat32LossesForBothNetworks()
    {
        // The GAN step's discriminator and feature-matching losses come from the bfloat16 copies; they are read as float32.
        using var scope = NewDisposeScope();
        using var reference = TrainStepFixtures.Pipeline("tiny12", "train_gan.yaml");
        using var mixed = KanadeTrainingPipeline.FromConfig(Config("train_gan.yaml"), new TrainingPipelineOptions { Precision = PrecisionMode.Bf16Mixed });
        mixed.LoadWeights(Fixtures.Path("tiny12", "model_full.safetensors"));
        mixed.LoadDiscriminatorWeights(Fixtures.Path("tiny12", "discriminator.safetensors"));
        var batch = TrainStepFixtures.Batch("tiny12");

        var expected = reference.Step(batch);
        var actual = mixed.Step(batch);

        Assert.IsTrue(actual.DiscriminatorTrained, "the discriminator trains from step 0 in train_gan.yaml");
        Assert.IsTrue(mixed.Discriminator!.parameters().All(p => p.dtype == ScalarType.Float32), "discriminator masters stay float32");
        foreach (string name in new[] { "adv_loss", "feature_matching_loss", "loss" })
            Assert.AreEqual(expected.Losses[name], actual.Losses[name], 0.05 * Math.Abs(expected.Losses[name]) + 1e-3, name);
        Assert.AreEqual(expected.DiscriminatorLosses["loss"], actual.DiscriminatorLosses["loss"], 0.05 * Math.Abs(expected.DiscriminatorLosses["loss"]) + 1e-3, "discriminator loss");
        Assert.AreEqual(expected.DiscriminatorGradNorm!.Value, actual.DiscriminatorGradNorm!.Value, 0.1 * expected.DiscriminatorGradNorm.Value, "discriminator grad norm");
    }
}
