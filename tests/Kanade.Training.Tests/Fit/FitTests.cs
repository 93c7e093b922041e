using Kanade.IO;
using Kanade.Tests;
using Kanade.Training.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Fit;

/// <summary>kanade fit on the espeak corpus with the tiny12 architecture (random init, the fixture's WavLM), on the CPU.</summary>
[TestClass]
public sealed class FitTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public void TwoHundredStepsLowerValidationMelL1AndLogTheReferenceTags()
    {
        using var workspace = new FitWorkspace();
        // 4 x 1.44 s per step; validation at steps 0 (before training), 100 and 200. The model starts from the fixture's
        // weights (the reference's random initialisation of tiny12, loaded through pipeline_config.ckpt_path); the tiny model
        // takes a peak learning rate of 1e-3 (the fixture's 2e-4 suits the published sizes).
        string yaml = workspace.WriteConfig("train.yaml", """
            max_steps: 200
            log_every_n_steps: 20
            num_sanity_val_steps: 0
            val_check_interval: 100
            check_val_every_n_epoch: null
            """, batchSize: 4, hop: 17280);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var vocoder = Vocoder.FromPretrained("vocos", Fixtures.Path("tiny12"));
        var result = FitWorkspace.Trainer(yaml, validateFirst: true, vocoder: vocoder, overrides:
            ["--model.pipeline_config.lr", "1e-3", "--model.pipeline_config.ckpt_path", Fixtures.Path("tiny12", "model_full.safetensors")]).Fit();

        double before = result.Validations[0].Metrics["val/gen/mel_l1"];
        double after = result.Validations[^1].Metrics["val/gen/mel_l1"];
        TestContext.WriteLine($"200 steps in {clock.Elapsed.TotalSeconds:F1} s; val/gen/mel_l1 {before:F4} -> {after:F4} ({(1 - after / before) * 100:F1}% lower); " +
                              $"val/gen/ssl_l2 {result.Validations[0].Metrics["val/gen/ssl_l2"]:F4} -> {result.Validations[^1].Metrics["val/gen/ssl_l2"]:F4}");
        Assert.AreEqual(200L, result.GlobalStep);
        CollectionAssert.AreEqual(new long[] { 0, 100, 200 }, result.Validations.Select(v => v.Step).ToArray());
        Assert.IsLessThanOrEqualTo(0.7 * before, after, $"val/gen/mel_l1 went from {before} to {after}");

        var tags = TensorBoardEvents.Read(result.EventFile).Select(v => v.Tag).ToHashSet();
        string[] expected =
        [
            "train/loss", "train/gen/mel_l1", "train/gen/mel_l2", "train/gen/mel_loss", "train/gen/ssl_l1", "train/gen/ssl_l2",
            "train/gen/feature_loss", "train/gen/grad_norm", "train/local/perplexity", "lr-AdamW", "epoch",
            "val/loss", "val/gen/mel_l1", "val/gen/ssl_l2", "val/local/perplexity", "val/0_mel_real", "val/0_mel_gen", "val/0_audio_real", "val/0_audio_gen",
        ];
        foreach (string tag in expected) Assert.Contains(tag, tags, $"TensorBoard tag {tag}");
        Assert.IsTrue(File.Exists(result.LastCheckpoint), "the default callback keeps last");
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public void KilledAndResumedGanRunEndsBitIdentical()
    {
        using var workspace = new FitWorkspace();
        // GAN with a coin per step (RNG), accumulation over 2 batches (position in the data), checkpoints every 4 steps.
        string yaml = workspace.WriteConfig("train_gan.yaml", """
            max_steps: 12
            log_every_n_steps: 4
            num_sanity_val_steps: 0
            limit_val_batches: 0
            accumulate_grad_batches: 2
            callbacks:
              - class_path: lightning.pytorch.callbacks.ModelCheckpoint
                init_args:
                  every_n_train_steps: 4
                  save_top_k: -1
                  save_last: true
            """, batchSize: 2, hop: 34560, pipelineExtra: "discriminator_update_prob: 0.5");

        var stepsA = new List<string>();
        var stepsC = new List<string>();
        string Describe(Kanade.Training.Pipeline.TrainingStepResult r) => $"{r.Step}:{r.DiscriminatorTrained}:{r.Losses["loss"]:R}:{r.GradNorm:R}";
        var uninterrupted = FitWorkspace.Trainer(yaml, r => stepsA.Add(Describe(r))).Fit();
        Assert.ThrowsExactly<SimulatedCrash>(() => FitWorkspace.Trainer(yaml, r => { if (r.Step == 6) throw new SimulatedCrash(); }).Fit());
        string crashed = Path.Combine(Path.GetDirectoryName(uninterrupted.LogDirectory)!, "version_1", "checkpoints", "epoch=0-step=4.safetensors");
        Assert.IsTrue(File.Exists(crashed), "the crashed run left its step-4 checkpoint");
        var resumed = FitWorkspace.Trainer(yaml, r => stepsC.Add(Describe(r)), overrides: ["--ckpt_path", crashed]).Fit();

        CollectionAssert.AreEqual(stepsA.Skip(4).ToArray(), stepsC.ToArray(), "steps 5..12: discriminator coin, loss and gradient norm");
        Assert.AreEqual(12L, resumed.GlobalStep);
        var expected = SafeTensors.Load(uninterrupted.LastCheckpoint!);
        var actual = SafeTensors.Load(resumed.LastCheckpoint!);
        CollectionAssert.AreEquivalent(expected.Keys.ToArray(), actual.Keys.ToArray());
        foreach (var (name, tensor) in expected)
            Assert.IsTrue(tensor.equal(actual[name]).all().item<bool>() && tensor.shape.SequenceEqual(actual[name].shape), $"{name} differs after resuming");
        var stateA = SafeTensors.ReadHeader(uninterrupted.LastCheckpoint!).Metadata["training_state"];
        var stateB = SafeTensors.ReadHeader(resumed.LastCheckpoint!).Metadata["training_state"];
        Assert.AreEqual(stateA, stateB, "steps, schedules, Adam steps, RNG and data position");
        Assert.IsTrue(expected.Keys.Any(k => k.StartsWith("optimizer.discriminator.")), "the discriminator's optimizer is in the checkpoint");
        TestContext.WriteLine($"{expected.Count} tensors identical; state {stateA.Length} chars identical");
    }

    sealed class SimulatedCrash : Exception;
}
