using Kanade.Modules;
using Kanade.Training.Config;
using Kanade.Training.Gan;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Kanade.Training.Tests.Config;

[TestClass]
public sealed class TrainingConfigTests
{
    // tiny12/train.yaml in records, as the YAML loader will build it (components abridged to what the checks read).
    static KanadeTrainingConfig Tiny12() => new()
    {
        SeedEverything = 42,
        Trainer = new() { MaxSteps = 100, Precision = "32", DefaultRootDir = "exp" },
        Model = new()
        {
            ModelConfig = new() { DownsampleFactor = 4, MelUpsampleFactor = 8, NMels = 100 },
            FeatureDecoder = new TransformerOptions { Dim = 64, NLayers = 2, NHeads = 4, WindowSize = 7 },
            Discriminator = new SpectrogramDiscriminatorOptions { FrequencyBins = 100, Channels = 8 },
            PipelineConfig = new()
            {
                AudioLength = 34560, Lr = 0.0002, FeatureL1Weight = 0, FeatureL2Weight = 30, MelL1Weight = 30, UseTorchCompile = false,
            },
        },
    };

    [TestMethod]
    public void PipelineDefaultsAreTheReferences()
    {
        var defaults = new KanadePipelineConfig();
        Assert.AreEqual((true, true, 138240), (defaults.TrainFeature, defaults.TrainMel, defaults.AudioLength));
        Assert.AreEqual((2e-4, 1e-4, 1.0), (defaults.Lr, defaults.WeightDecay, defaults.GradientClipVal));
        CollectionAssert.AreEqual(new[] { 0.9, 0.99 }, defaults.Betas.ToArray());
        Assert.AreEqual((0.1, 10.0, 1.0, "cos"), (defaults.WarmupPercent, defaults.LrDivFactor, defaults.LrFinalDivFactor, defaults.AnnealMode));
        Assert.AreEqual((30.0, 0.0, 30.0, 0.0, 1.0, 10.0),
            (defaults.FeatureL1Weight, defaults.FeatureL2Weight, defaults.MelL1Weight, defaults.MelL2Weight, defaults.AdvWeight, defaults.FeatureMatchingWeight));
        Assert.AreEqual((false, "hinge", (double?)null, 0, 1.0),
            (defaults.UseDiscriminator, defaults.AdvLossType, defaults.DiscriminatorLr, defaults.DiscriminatorStartStep, defaults.DiscriminatorUpdateProb));
        Assert.AreEqual((null, 0, 10), (defaults.CkptPath, defaults.SkipLoadingModules.Count, defaults.LogMelSamples));
    }

    [TestMethod]
    public void DataDefaultsAreTheReferences()
    {
        var data = new AudioDataConfig { CsvPath = "train.csv", AudioRoot = "/data" };
        Assert.AreEqual((16000, true, true, (int?)null, (int?)null), (data.SampleRate, data.Mono, data.Normalize, data.ChunkSize, data.ChunkHopSize));
        Assert.AreEqual((32, 4, false, false), (data.BatchSize, data.NumWorkers, data.Shuffle, data.DropLast));
    }

    [TestMethod]
    public void EvaluationSplitsNeverShuffleOrDrop()
    {
        var data = new AudioDataConfig { CsvPath = "t.csv", AudioRoot = "r", Shuffle = true, DropLast = true, BatchSize = 8 };
        Assert.AreEqual((true, true, 7), (data.ToLoaderOptions(7, training: true).Shuffle, data.ToLoaderOptions(7, training: true).DropLast, data.ToLoaderOptions(7, training: true).Seed));
        Assert.AreEqual((false, false), (data.ToLoaderOptions(7, training: false).Shuffle, data.ToLoaderOptions(7, training: false).DropLast));
    }

    [TestMethod]
    public void MissingValidationAndTestSplitsFallBackAsInTheReference()
    {
        var train = new AudioDataConfig { CsvPath = "train.csv", AudioRoot = "r" };
        var val = train with { CsvPath = "dev.csv" };
        Assert.AreSame(train, new AudioDataModuleConfig { TrainConfig = train }.EffectiveTestConfig);
        Assert.AreSame(val, new AudioDataModuleConfig { TrainConfig = train, ValConfig = val }.EffectiveTestConfig);
    }

    [TestMethod]
    public void FixtureConfigValidatesAndDerivesTheModelDefinition()
    {
        var config = Tiny12();
        config.Validate();
        var model = config.Model.ToModelDefinition("tiny12/train.yaml");
        Assert.AreEqual(4, model.Config.DownsampleFactor);
        Assert.AreEqual(64, model.FeatureDecoder!.Dim);
        Assert.AreEqual("tiny12/train.yaml", model.SourcePath);
    }

    [TestMethod]
    public void AudioLengthIsCheckedUpFront()
    {
        var config = Tiny12();
        config = config with { Model = config.Model with { PipelineConfig = config.Model.PipelineConfig with { AudioLength = 36000 } } };
        var error = Assert.ThrowsExactly<ArgumentException>(config.Validate);
        StringAssert.Contains(error.Message, "audio_length = 36000 samples gives 75 SSL frames");
    }

    [TestMethod]
    public void DiscriminatorBinsMustEqualMelBins()
    {
        var config = Tiny12();
        config = config with { Model = config.Model with { Discriminator = new() { FrequencyBins = 80 } } };
        var error = Assert.ThrowsExactly<ArgumentException>(config.Validate);
        StringAssert.Contains(error.Message, "discriminator.frequency_bins is 80 but model_config.n_mels is 100");
    }

    [TestMethod]
    public void FeatureTrainingNeedsAFeatureDecoder()
    {
        var config = Tiny12();
        config = config with { Model = config.Model with { FeatureDecoder = null } };
        var error = Assert.ThrowsExactly<ArgumentException>(config.Validate);
        StringAssert.Contains(error.Message, "train_feature is true but the config has no feature_decoder");
    }

    [TestMethod]
    public void UnknownAnnealModeNamesTheKeyAndChoices()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(new KanadePipelineConfig { AnnealMode = "cosine" }.Validate);
        StringAssert.Contains(error.Message, "pipeline_config.anneal_mode 'cosine' is not supported; expected 'cos' or 'linear'");
    }

    [TestMethod]
    public void CallbackClassPathsOfTheShippedConfigsAreKnown()
    {
        Assert.AreEqual(typeof(ModelCheckpointCallback), TrainerCallback.ByClassPath["lightning.pytorch.callbacks.ModelCheckpoint"]);
        Assert.AreEqual(typeof(LearningRateMonitorCallback), TrainerCallback.ByClassPath["lightning.pytorch.callbacks.LearningRateMonitor"]);
        Assert.AreEqual(typeof(ModelSummaryCallback), TrainerCallback.ByClassPath["lightning.pytorch.callbacks.ModelSummary"]);
    }
}
