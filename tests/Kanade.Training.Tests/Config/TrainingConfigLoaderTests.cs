using Kanade.IO;
using Kanade.Tests;
using Kanade.Training.Config;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Kanade.Training.Tests.Config;

[TestClass]
public sealed class TrainingConfigLoaderTests
{
    static string Shipped(string name) => Path.Combine(Fixtures.RepoRoot, "config", "train", name);

    static KanadeTrainingConfig Tiny12(params string[] overrides) =>
        TrainingConfigLoader.Load(Fixtures.Path("tiny12", "train.yaml"), overrides);

    [TestMethod]
    [DataRow("12hz_pretrain.yaml", 200000)]
    [DataRow("12hz_gan.yaml", 200000)]
    [DataRow("25hz_pretrain.yaml", 200000)]
    [DataRow("25hz_gan.yaml", 200000)]
    [DataRow("25hz_clean.yaml", 400000)]
    public void EveryShippedConfigLoads(string name, int maxSteps)
    {
        var config = TrainingConfigLoader.Load(Shipped(name));
        Assert.AreEqual(42, config.SeedEverything);
        Assert.AreEqual(maxSteps, config.Trainer.MaxSteps);
        Assert.HasCount(3, config.Trainer.Callbacks);
        Assert.IsNotNull(config.Data);
        Assert.AreEqual(Shipped(name), config.SourcePath);
    }

    [TestMethod]
    public void GanConfigBindsTrainerCallbacksDiscriminatorAndData()
    {
        var config = TrainingConfigLoader.Load(Shipped("12hz_gan.yaml"));

        Assert.AreEqual("bf16-mixed", config.Trainer.Precision);
        var checkpoint = (ModelCheckpointCallback)config.Trainer.Callbacks[0];
        Assert.AreEqual(("val/gen/mel_l1", "min", true, false), (checkpoint.Monitor, checkpoint.Mode, checkpoint.SaveLast, checkpoint.AutoInsertMetricName));
        Assert.AreEqual("step={step}-loss={val/gen/mel_l1:.4f}", checkpoint.Filename);
        Assert.AreEqual("step", ((LearningRateMonitorCallback)config.Trainer.Callbacks[1]).LoggingInterval);
        Assert.AreEqual(3, ((ModelSummaryCallback)config.Trainer.Callbacks[2]).MaxDepth);
        Assert.AreEqual((64, 100), (config.Model.Discriminator!.Channels, config.Model.Discriminator.FrequencyBins));
        CollectionAssert.AreEqual(new[] { 1, 1, 1 }, config.Model.Discriminator.Dilation.ToArray());
        var pipeline = config.Model.PipelineConfig;
        Assert.AreEqual((false, true, true, "hf:frothywater/kanade-12.5hz"), (pipeline.TrainFeature, pipeline.TrainMel, pipeline.UseDiscriminator, pipeline.CkptPath));
        Assert.AreEqual((96, 34560, true), (config.Data!.TrainConfig.BatchSize, config.Data.TrainConfig.ChunkHopSize, config.Data.TrainConfig.DropLast));
        Assert.AreEqual("data/libritts_test.csv", config.Data.EffectiveTestConfig.CsvPath);
        Assert.AreEqual(768, config.Model.LocalEncoder.Dim);
    }

    [TestMethod]
    public void FixtureConfigHasNoDataAndPipelineValues()
    {
        var config = Tiny12();
        Assert.IsNull(config.Data);
        Assert.AreEqual((100, "32"), (config.Trainer.MaxSteps, config.Trainer.Precision));
        Assert.AreEqual((34560, 0.0, 30.0), (config.Model.PipelineConfig.AudioLength, config.Model.PipelineConfig.FeatureL1Weight, config.Model.PipelineConfig.FeatureL2Weight));
        Assert.AreEqual(64, config.Model.FeatureDecoder!.Dim);
    }

    [TestMethod]
    public void OverridesReachTrainerAndSkipInitArgs()
    {
        var config = TrainingConfigLoader.Load(Shipped("12hz_pretrain.yaml"),
            ["--trainer.max_steps", "1000", "--data.train_config.csv_path", "train.csv", "--model.pipeline_config.lr=1e-4"]);

        Assert.AreEqual(1000, config.Trainer.MaxSteps);
        Assert.AreEqual("train.csv", config.Data!.TrainConfig.CsvPath);
        Assert.AreEqual(1e-4, config.Model.PipelineConfig.Lr);
    }

    [TestMethod]
    public void OverrideValuesAreYaml()
    {
        var config = Tiny12("--model.init_args.pipeline_config.betas", "[0.8, 0.95]", "--model.pipeline_config.gradient_clip_val", "null",
            "--model.pipeline_config.skip_loading_modules", "[mel_decoder, mel_postnet]");

        CollectionAssert.AreEqual(new[] { 0.8, 0.95 }, config.Model.PipelineConfig.Betas.ToArray());
        Assert.IsNull(config.Model.PipelineConfig.GradientClipVal);
        CollectionAssert.AreEqual(new[] { "mel_decoder", "mel_postnet" }, config.Model.PipelineConfig.SkipLoadingModules.ToArray());
    }

    [TestMethod]
    public void OverrideAddsAKeyTheFileLacks()
    {
        var config = Tiny12("--model.pipeline_config.discriminator_lr", "5e-5", "--trainer.val_check_interval", "50");
        Assert.AreEqual(5e-5, config.Model.PipelineConfig.DiscriminatorLr);
        Assert.AreEqual(new BatchLimit(50, null), config.Trainer.ValidationInterval);
    }

    [TestMethod]
    public void UnknownOverrideKeyNamesTheOption()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => Tiny12("--model.pipeline_config.learning_rate", "1e-4"));
        Assert.AreEqual("command line", error.FilePath);
        Assert.AreEqual("--model.pipeline_config.learning_rate", error.KeyPath);
        StringAssert.Contains(error.Message, "unknown key 'learning_rate'");
    }

    [TestMethod]
    public void OverrideOfTheWrongTypeNamesTheOption()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => Tiny12("--trainer.max_steps", "many"));
        Assert.AreEqual("--trainer.max_steps", error.KeyPath);
        StringAssert.Contains(error.Message, "must be an integer, found 'many'");
    }

    [TestMethod]
    public void OverrideUnderASingleValueIsRefused()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => Tiny12("--trainer.max_steps.x", "1"));
        StringAssert.Contains(error.Message, "'trainer.max_steps' is a single value");
    }

    [TestMethod]
    public void OverrideWithoutValueIsRefused()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => ConfigOverrides.Parse(["--trainer.max_steps"]));
        StringAssert.Contains(error.Message, "'--trainer.max_steps' has no value");
        error = Assert.ThrowsExactly<ArgumentException>(() => ConfigOverrides.Parse(["trainer.max_steps", "3"]));
        StringAssert.Contains(error.Message, "Unexpected argument 'trainer.max_steps'");
    }

    [TestMethod]
    public void UnknownPipelineKeyNamesFileLineAndKey()
    {
        string yaml = File.ReadAllText(Fixtures.Path("tiny12", "train.yaml")).Replace("      use_torch_compile: false", "      use_torch_compile: false\n      warmup_steps: 10");
        var document = ConfigDocument.Parse(yaml, "tiny.yaml");
        int line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("warmup_steps")) + 1;

        var error = Assert.ThrowsExactly<ConfigException>(() => TrainingConfigLoader.Read(document));

        Assert.AreEqual(("tiny.yaml", "model.init_args.pipeline_config.warmup_steps", (long)line), (error.FilePath, error.KeyPath, error.Line));
        StringAssert.Contains(error.Message, "unknown key 'warmup_steps'");
    }

    [TestMethod]
    public void UnknownTopLevelAndCallbackAreRefused()
    {
        string yaml = File.ReadAllText(Fixtures.Path("tiny12", "train.yaml"));
        var error = Assert.ThrowsExactly<ConfigException>(() => TrainingConfigLoader.Read(ConfigDocument.Parse(yaml + "optimizer: adam\n", "t.yaml")));
        StringAssert.Contains(error.Message, "unknown key 'optimizer'");

        string withCallback = yaml.Replace("  default_root_dir: exp", "  default_root_dir: exp\n  callbacks:\n    - class_path: lightning.pytorch.callbacks.EarlyStopping\n");
        error = Assert.ThrowsExactly<ConfigException>(() => TrainingConfigLoader.Read(ConfigDocument.Parse(withCallback, "t.yaml")));
        Assert.AreEqual("trainer.callbacks[0].class_path", error.KeyPath);
        StringAssert.Contains(error.Message, "'lightning.pytorch.callbacks.EarlyStopping' is not");
    }

    [TestMethod]
    public void SeedEverythingTrueLeavesTheSeedToTheRun()
    {
        Assert.IsNull(Tiny12("--seed_everything", "true").SeedEverything);
        Assert.AreEqual(7, Tiny12("--seed_everything", "7").SeedEverything);
    }

    [TestMethod]
    public void RangeErrorsNameTheFile()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => Tiny12("--model.pipeline_config.audio_length", "36000"));
        StringAssert.Contains(error.Message, "audio_length = 36000 samples gives 75 SSL frames");
        StringAssert.Contains(error.Message, "train.yaml");
    }

    [TestMethod]
    public void LightningAmountsAreCountsOrFractions()
    {
        Assert.AreEqual(new BatchLimit(3, null), BatchLimit.Parse("3", "k"));
        Assert.AreEqual(new BatchLimit(null, 0.5), BatchLimit.Parse("0.5", "k"));
        Assert.AreEqual(new BatchLimit(null, 1.0), BatchLimit.Parse("1.0", "k"));
        Assert.AreEqual(5, BatchLimit.Parse("0.5", "k").Of(10));
        Assert.AreEqual(1, BatchLimit.Parse("0.01", "k").Of(10));
        Assert.AreEqual(10, BatchLimit.All.Of(10));
        Assert.ThrowsExactly<ArgumentException>(() => BatchLimit.Parse("1.5", "trainer.limit_val_batches"));
    }
}
