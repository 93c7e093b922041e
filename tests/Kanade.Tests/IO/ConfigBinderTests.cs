using Kanade.IO;
using YamlDotNet.Serialization;

namespace Kanade.Tests.IO;

[TestClass]
public sealed class ConfigBinderTests
{
    /// <summary>The shape a training engineer's pipeline-config record takes (the reference's KanadePipelineConfig).</summary>
    public sealed record PipelineSettings
    {
        public bool TrainFeature { get; init; } = true;
        public bool TrainMel { get; init; } = true;
        public required int AudioLength { get; init; }
        public double Lr { get; init; } = 2e-4;
        public double WeightDecay { get; init; } = 1e-4;
        public IReadOnlyList<double> Betas { get; init; } = [0.9, 0.99];
        public double? GradientClipVal { get; init; } = 1.0;
        public double WarmupPercent { get; init; } = 0.1;
        public double LrDivFactor { get; init; } = 10;
        public double LrFinalDivFactor { get; init; } = 1;
        public string AnnealMode { get; init; } = "cos";
        public double FeatureL1Weight { get; init; } = 30;
        public double FeatureL2Weight { get; init; }
        public double MelL1Weight { get; init; } = 30;
        public double MelL2Weight { get; init; }
        public double AdvWeight { get; init; } = 1;
        public double FeatureMatchingWeight { get; init; } = 10;
        public bool UseDiscriminator { get; init; }
        public AdversarialLoss AdvLossType { get; init; } = AdversarialLoss.Hinge;
        public double? DiscriminatorLr { get; init; }
        public int DiscriminatorStartStep { get; init; }
        public double DiscriminatorUpdateProb { get; init; } = 1;
        public string? CkptPath { get; init; }
        public IReadOnlyList<string> SkipLoadingModules { get; init; } = [];
        public int LogMelSamples { get; init; } = 10;
        public bool UseTorchCompile { get; init; } = true;
    }

    public enum AdversarialLoss { Hinge, LeastSquare }

    /// <summary>A positional record, as the data module's configs might be written.</summary>
    public sealed record AudioData(string CsvPath, string AudioRoot, int? SampleRate = 16000, bool Mono = true, bool Normalize = true,
        int? ChunkSize = null, int? ChunkHopSize = null, int BatchSize = 32, int NumWorkers = 4, bool PinMemory = false,
        bool PersistentWorkers = false, bool Shuffle = false, bool DropLast = false);

    public sealed record DataModule
    {
        public required AudioData TrainConfig { get; init; }
        public AudioData? ValConfig { get; init; }
    }

    public sealed record Aliased
    {
        [YamlMember(Alias = "pytorch-lightning_version")]
        public string? Version { get; init; }
    }

    static ConfigDocument Document(string yaml) => ConfigDocument.Parse(yaml, "test.yaml");

    [TestMethod]
    public void BindsAFixturePipelineConfigWithDefaultsForAbsentKeys()
    {
        var document = ConfigDocument.Load(Fixtures.Path("tiny12", "train_gan.yaml"));

        var settings = document.Bind<PipelineSettings>("model.init_args.pipeline_config");

        Assert.AreEqual(34560, settings.AudioLength);
        Assert.AreEqual(0.0002, settings.Lr);
        CollectionAssert.AreEqual(new[] { 0.9, 0.99 }, settings.Betas.ToArray());
        Assert.AreEqual(0.0, settings.FeatureL1Weight);
        Assert.AreEqual(30.0, settings.FeatureL2Weight);
        Assert.IsTrue(settings.UseDiscriminator);
        Assert.AreEqual(AdversarialLoss.Hinge, settings.AdvLossType);
        Assert.IsFalse(settings.UseTorchCompile);
        Assert.IsNull(settings.CkptPath);
    }

    [TestMethod]
    public void ReadsPyYamlStyleExponentsAsNumbers()
    {
        // PyYAML reads 2e-4 as a string; jsonargparse then converts it for a float argument. So does this binder.
        var document = ConfigDocument.Load(Path.Combine(Fixtures.RepoRoot, "config", "train", "25hz_clean.yaml"));

        var settings = document.Bind<PipelineSettings>("model.init_args.pipeline_config");

        Assert.AreEqual(1e-4, settings.Lr);
        Assert.AreEqual(0.025, settings.WarmupPercent);
        Assert.AreEqual("hf:frothywater/kanade-25hz", settings.CkptPath);
        CollectionAssert.AreEqual(new[] { "feature_decoder", "conv_upsample", "mel_conv_upsample", "mel_decoder", "mel_postnet" },
            settings.SkipLoadingModules.ToArray());
    }

    [TestMethod]
    public void MissingRequiredMemberIsNamed()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => Document("p:\n  lr: 0.1\n").Bind<PipelineSettings>("p"));
        StringAssert.Contains(error.Message, "missing required key 'audio_length'");
        Assert.AreEqual("p", error.KeyPath);
    }

    [TestMethod]
    public void BindsClassPathNodesIntoPositionalRecords()
    {
        var document = ConfigDocument.Load(Path.Combine(Fixtures.RepoRoot, "config", "train", "12hz_pretrain.yaml"));

        var data = document.BindClass<DataModuleHolder>("data", ReferenceClassPaths.AudioDataModule);

        Assert.AreEqual("data/libritts_train.csv", data.TrainConfig!.CsvPath);
        Assert.AreEqual(128, data.TrainConfig.BatchSize);
        Assert.AreEqual(34560, data.TrainConfig.ChunkHopSize);
        Assert.IsTrue(data.TrainConfig.Shuffle);
        Assert.AreEqual(24000, data.ValConfig!.SampleRate);
    }

    /// <summary>BindClass needs a parameterless constructor for the all-defaults case.</summary>
    public sealed record DataModuleHolder
    {
        public AudioData? TrainConfig { get; init; }
        public AudioData? ValConfig { get; init; }
        public AudioData? TestConfig { get; init; }
    }

    [TestMethod]
    public void UnknownKeyOfAPositionalRecordIsNamed()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() =>
            Document("d:\n  train_config:\n    csv_path: a.csv\n    audio_root: /x\n    batch: 4\n").Bind<DataModule>("d"));
        Assert.AreEqual("d.train_config.batch", error.KeyPath);
        StringAssert.Contains(error.Message, "batch_size");
    }

    [TestMethod]
    public void MissingConstructorArgumentIsNamed()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() =>
            Document("d:\n  train_config:\n    csv_path: a.csv\n").Bind<DataModule>("d"));
        StringAssert.Contains(error.Message, "missing required key 'audio_root'");
        Assert.AreEqual("d.train_config", error.KeyPath);
    }

    [TestMethod]
    public void FreeFormSectionsBecomePlainValues()
    {
        var document = ConfigDocument.Load(Path.Combine(Fixtures.RepoRoot, "config", "train", "12hz_pretrain.yaml"));

        var trainer = document.Bind<Dictionary<string, object?>>("trainer");

        Assert.AreEqual("bf16-mixed", trainer["precision"]);
        Assert.AreEqual(200000L, trainer["max_steps"]);
        var callbacks = (List<object?>)trainer["callbacks"]!;
        Assert.HasCount(3, callbacks);
        var first = (Dictionary<string, object?>)callbacks[0]!;
        Assert.AreEqual("lightning.pytorch.callbacks.ModelCheckpoint", first["class_path"]);
        Assert.AreEqual(true, ((Dictionary<string, object?>)first["init_args"]!)["save_last"]);
        Assert.AreEqual(42L, document.Bind<long>("seed_everything"));
    }

    [TestMethod]
    public void EnumsBindFromSnakeCase()
    {
        var settings = Document("p:\n  audio_length: 1\n  adv_loss_type: least_square\n").Bind<PipelineSettings>("p");
        Assert.AreEqual(AdversarialLoss.LeastSquare, settings.AdvLossType);

        var error = Assert.ThrowsExactly<ConfigException>(() =>
            Document("p:\n  audio_length: 1\n  adv_loss_type: wasserstein\n").Bind<PipelineSettings>("p"));
        StringAssert.Contains(error.Message, "hinge, least_square");
    }

    [TestMethod]
    public void NullableMembersAcceptNull()
    {
        var settings = Document("p:\n  audio_length: 1\n  gradient_clip_val: null\n").Bind<PipelineSettings>("p");
        Assert.IsNull(settings.GradientClipVal);
    }

    [TestMethod]
    public void AliasesNameKeysThatAreNotSnakeCase()
    {
        var aliased = Document("x:\n  pytorch-lightning_version: 2.5.0\n").Bind<Aliased>("x");
        Assert.AreEqual("2.5.0", aliased.Version);
    }

    [TestMethod]
    public void SnakeCaseOfPropertyNamesIsTheYamlKey()
    {
        Assert.AreEqual("n_fft", ConfigBinder.SnakeCase("NFft"));
        Assert.AreEqual("bigvgan_style_mel", ConfigBinder.SnakeCase("BigvganStyleMel"));
        Assert.AreEqual("encoder_ff_interm_features", ConfigBinder.SnakeCase("EncoderFfIntermFeatures"));
    }

    [TestMethod]
    public void AbsentPathIsNamed()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => Document("a: 1\n").Bind<int>("model.init_args"));
        Assert.AreEqual("model.init_args", error.KeyPath);
        StringAssert.Contains(error.Message, "is missing");
    }
}
