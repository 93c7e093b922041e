// Port of kanade-tokenizer pipeline.py KanadePipeline (MIT): the model, discriminator, mel target, optimizers and
// schedules of one training run, and the step the reference's training_step takes.
using Kanade.Audio;
using Kanade.IO;
using Kanade.Ssl;
using Kanade.Training.Config;
using Kanade.Training.Gan;
using Kanade.Training.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Training.Pipeline;

/// <summary>
/// A training session over a training YAML: the <see cref="KanadeModel"/> (SSL model always frozen, the local branch
/// frozen unless <c>train_feature</c>, the global and mel branches frozen unless <c>train_mel</c>), the GAN
/// discriminator, the mel transform of the target, AdamW and a one-cycle schedule for each. <see cref="Step(Tensor)"/>
/// takes one training step as the reference's <c>training_step</c> does; <c>kanade fit</c> is a loop around it.
/// </summary>
public sealed partial class KanadeTrainingPipeline : IDisposable
{
    static readonly string[] LocalBranch = ["local_encoder.", "local_quantizer.", "feature_decoder.", "conv_downsample.", "conv_upsample."];
    static readonly string[] MelBranch = ["global_encoder.", "mel_prenet.", "mel_conv_upsample.", "mel_decoder.", "mel_postnet."];
    const string SslPrefix = "ssl_feature_extractor.";

    readonly KanadePipelineConfig settings;
    readonly AdversarialLossType adversarialLoss;
    readonly KanadeModel computeModel;
    readonly SpectrogramDiscriminator? computeDiscriminator;
    readonly TrainedParameters generatorTrained = null!;
    readonly TrainedParameters? discriminatorTrained;
    SpectrogramDiscriminator? discriminatorSnapshot;
    bool computeWeightsStale = true;
    readonly bool allowRandomSsl;
    bool disposed;

    KanadeTrainingPipeline(KanadeTrainingConfig config, TrainingPipelineOptions options)
    {
        Config = config;
        settings = config.Model.PipelineConfig;
        adversarialLoss = AdversarialLoss.Parse(settings.AdvLossType);
        Device = options.Device ?? CPU;
        StepCounting = options.StepCounting;
        allowRandomSsl = options.AllowRandomSslWeights;
        Precision = options.Precision ?? PrecisionModes.Parse(config.Trainer.Precision);
        // bf16 compute pays off on tensor cores; libtorch's CPU kernels gain little from it, so a YAML's bf16-mixed runs
        // float32 on the CPU (an explicit TrainingPipelineOptions.Precision is honoured, e.g. to test the path).
        if (options.Precision is null && Precision != PrecisionMode.Float32 && Device.type != DeviceType.CUDA) Precision = PrecisionMode.Float32;
        if (Precision != PrecisionMode.Float32 && Device.type == DeviceType.CUDA)
        {
            // What the reference's torch.set_float32_matmul_precision("high") asks of float32 products (process-wide).
            backends.cuda.matmul.allow_tf32 = true;
            backends.cudnn.allow_tf32 = true;
        }
        TotalSteps = options.TotalSteps ?? (config.Trainer.MaxSteps > 0 ? config.Trainer.MaxSteps
            : throw new ArgumentException("trainer.max_steps is -1: give the one-cycle length (TrainingPipelineOptions.TotalSteps)."));
        if (options.Seed && config.SeedEverything is int seed) TrainingRandom.SeedEverything(seed);

        Model = new KanadeModel(config.Model.ToModelDefinition(config.SourcePath));
        try
        {
            Discriminator = config.Model.Discriminator is { } discriminatorOptions ? new SpectrogramDiscriminator(discriminatorOptions) : null;
            UseDiscriminator = settings.UseDiscriminator && Discriminator is not null && settings.TrainMel;
            MelSpectrogram = MelSpectrogramFeature.FromConfig(Model.Config);

            if (options.SslWeightsPath is { } sslPath) LoadSslWeights(sslPath);
            if (options.LoadCheckpoint && settings.CkptPath is { } checkpoint) LoadWeightsCore(checkpoint, includeDiscriminator: true);

            Model.to(Device);
            Discriminator?.to(Device);
            MelSpectrogram.to(Device);
            Freeze();

            if (Precision == PrecisionMode.Bf16Mixed)
            {
                // The model's own mixed precision: branches and WavLM in bfloat16, resampling, layer mixing, time
                // normalisation, FSQ, the feature decoder and every stage output in float32.
                computeModel = CopyOf(Model, () => new KanadeModel(Model.Definition), ScalarType.Float32);
                computeModel.SetInferencePrecision(ScalarType.BFloat16, includeSsl: true);
                if (Discriminator is not null)
                    computeDiscriminator = CopyOf(Discriminator, () => new SpectrogramDiscriminator(Discriminator.Options));
            }
            else
            {
                computeModel = Model;
                computeDiscriminator = Discriminator;
            }

            // Built here, not on first use: a module's initialisation draws from the generator, and a resumed run must
            // draw what the uninterrupted one drew (only accumulated GAN steps use it).
            if (UseDiscriminator && config.Trainer.AccumulateGradBatches > 1)
                discriminatorSnapshot = CopyOf(computeDiscriminator!, () => new SpectrogramDiscriminator(Discriminator!.Options), ComputeType);

            var betas = settings.Betas;
            GeneratorOptimizer = optim.AdamW(Model.parameters().Where(p => p.requires_grad), settings.Lr, betas[0], betas[1], weight_decay: settings.WeightDecay);
            GeneratorScheduler = new OneCycleLR(GeneratorOptimizer, Schedule(settings.Lr));
            generatorTrained = new TrainedParameters(Model, ShadowOf(Model, computeModel), (AdamW)GeneratorOptimizer);
            if (UseDiscriminator)
            {
                double lr = settings.DiscriminatorLr ?? settings.Lr;
                DiscriminatorOptimizer = optim.AdamW(Discriminator!.parameters(), lr, betas[0], betas[1], weight_decay: settings.WeightDecay);
                DiscriminatorScheduler = new OneCycleLR(DiscriminatorOptimizer, Schedule(lr));
                discriminatorTrained = new TrainedParameters(Discriminator, ShadowOf(Discriminator, computeDiscriminator), (AdamW)DiscriminatorOptimizer);
            }
            else if (Discriminator is not null && ShadowOf(Discriminator, computeDiscriminator) is { } shadow)
            {
                // Not trained, but its bfloat16 copy follows the master (loads, evaluation).
                discriminatorTrained = new TrainedParameters(Discriminator, shadow, null);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Builds the pipeline of a training YAML (the reference's <c>cli.py fit --config</c> format) on the CPU: seeds with
    /// <c>seed_everything</c>, initialises the weights, loads <c>pipeline_config.ckpt_path</c> when set (minus
    /// <c>skip_loading_modules</c>), freezes by <c>train_feature</c> / <c>train_mel</c> and creates the optimizers and
    /// schedules (one-cycle over <c>trainer.max_steps</c>).
    /// </summary>
    /// <exception cref="ConfigException">The YAML does not fit the schema or a value is out of range.</exception>
    public static KanadeTrainingPipeline FromConfig(string trainYamlPath) => FromConfig(trainYamlPath, new TrainingPipelineOptions());

    /// <summary>As <see cref="FromConfig(string)"/> with options (device, SSL weights, precision, step counting).</summary>
    /// <exception cref="ConfigException">The YAML does not fit the schema or a value is out of range.</exception>
    public static KanadeTrainingPipeline FromConfig(string trainYamlPath, TrainingPipelineOptions options) =>
        FromConfig(TrainingConfigLoader.Load(trainYamlPath), options);

    /// <summary>As <see cref="FromConfig(string)"/> for a config in hand.</summary>
    /// <exception cref="ArgumentException">A value is out of range or the sections disagree.</exception>
    public static KanadeTrainingPipeline FromConfig(KanadeTrainingConfig config, TrainingPipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return new KanadeTrainingPipeline(config, options ?? new TrainingPipelineOptions());
    }

    /// <summary>The training config.</summary>
    public KanadeTrainingConfig Config { get; }
    /// <summary>The model; its <c>state_dict()</c> holds the weights after each step (float32 masters under bf16-mixed).</summary>
    public KanadeModel Model { get; }
    /// <summary>The GAN discriminator (null when the config has none).</summary>
    public SpectrogramDiscriminator? Discriminator { get; }
    /// <summary>The mel transform of the target (the model config's <c>MelSpectrogramFeature</c>).</summary>
    public MelSpectrogramFeature MelSpectrogram { get; }
    /// <summary>Whether steps train against the discriminator (<c>use_discriminator</c>, a discriminator and <c>train_mel</c>).</summary>
    public bool UseDiscriminator { get; }
    /// <summary>Device of everything.</summary>
    public Device Device { get; }
    /// <summary>When set, every <see cref="Step(Tensor)"/> reports its phases to it (draining the device at each boundary).</summary>
    public Fit.PhaseClock? Phases { get; set; }
    /// <summary>Arithmetic in effect (a YAML's bf16-mixed or tf32 falls back to float32 on the CPU).</summary>
    public PrecisionMode Precision { get; }
    /// <summary>What <see cref="GlobalStep"/> counts.</summary>
    public StepCounting StepCounting { get; }
    /// <summary>Length of both one-cycle schedules.</summary>
    public int TotalSteps { get; }
    /// <summary>AdamW over the generator's trainable parameters.</summary>
    public optim.Optimizer GeneratorOptimizer { get; } = null!;
    /// <summary>AdamW over the discriminator (null without a GAN).</summary>
    public optim.Optimizer? DiscriminatorOptimizer { get; }
    /// <summary>The generator's one-cycle schedule.</summary>
    public OneCycleLR GeneratorScheduler { get; private set; } = null!;
    /// <summary>The discriminator's one-cycle schedule (null without a GAN).</summary>
    public OneCycleLR? DiscriminatorScheduler { get; private set; }
    /// <summary>Training steps taken (generator updates).</summary>
    public long TrainingSteps { get; private set; }
    /// <summary>Optimizer updates taken, both optimizers (Lightning's <c>global_step</c>).</summary>
    public long OptimizerSteps { get; private set; }
    /// <summary>The step count that <c>max_steps</c>, <c>discriminator_start_step</c> and checkpoints use (see <see cref="StepCounting"/>).</summary>
    public long GlobalStep => StepCounting == StepCounting.LightningOptimizerSteps ? OptimizerSteps : TrainingSteps;
    /// <summary>Whether the frozen SSL model has its weights (from <see cref="TrainingPipelineOptions.SslWeightsPath"/> or a checkpoint).</summary>
    public bool SslWeightsLoaded { get; private set; }
    /// <summary>Samples per training example (<c>pipeline_config.audio_length</c>).</summary>
    public int AudioLength => settings.AudioLength;

    OneCycleSchedule Schedule(double lr) => new(lr, TotalSteps, settings.WarmupPercent, OneCycleSchedule.ParseAnneal(settings.AnnealMode),
        settings.LrDivFactor, settings.LrFinalDivFactor);

    void Freeze()
    {
        var frozen = new List<string> { SslPrefix };
        if (!settings.TrainFeature) frozen.AddRange(LocalBranch);
        if (!settings.TrainMel) frozen.AddRange(MelBranch);
        foreach (var (name, parameter) in Model.named_parameters())
            parameter.requires_grad = !frozen.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
    }

    // A second module of the same architecture holding the master's weights in `dtype` (the compute copy).
    // The lower-precision copy that computes for a master module, or null when the master computes itself.
    static nn.Module? ShadowOf(nn.Module master, nn.Module? compute) => compute is null || ReferenceEquals(compute, master) ? null : compute;

    static T CopyOf<T>(T master, Func<T> create, ScalarType dtype = ScalarType.BFloat16) where T : nn.Module
    {
        var copy = create();
        using (no_grad()) CopyState(master, copy);
        var device = master.parameters().First().device;
        copy.to(device);
        if (dtype != ScalarType.Float32) copy.to(dtype);
        return copy;
    }

    /// <summary>
    /// Loads model weights (and, from a training or Lightning checkpoint, discriminator weights) as the reference's
    /// <c>_load_weights</c> does: our training checkpoints, Lightning <c>.ckpt</c>, <c>.safetensors</c>, <c>.pt</c>/<c>.pth</c>;
    /// names under <c>skip_loading_modules</c> keep their current values. Unlike the reference, loading is strict: a tensor
    /// the model lacks, or of another shape, is an error; only the SSL model (when the file has none of it), the skipped
    /// modules and the modules a published export leaves out (<c>feature_decoder</c>, <c>conv_upsample</c>) may be absent.
    /// </summary>
    /// <returns>What was loaded and what kept its previous values.</returns>
    /// <exception cref="WeightLoadException">A tensor does not fit; nothing was copied.</exception>
    public LoadReport LoadWeights(string path) => LoadWeightsCore(path, includeDiscriminator: true);

    /// <summary>
    /// Loads discriminator weights strictly: a discriminator state dict (weight norm as
    /// <c>parametrizations.weight.original0/1</c> or the older <c>weight_g</c>/<c>weight_v</c>), or the <c>discriminator.*</c>
    /// part of a training or Lightning checkpoint.
    /// </summary>
    /// <exception cref="InvalidOperationException">The config has no discriminator.</exception>
    /// <exception cref="WeightLoadException">A tensor does not fit; nothing was copied.</exception>
    public LoadReport LoadDiscriminatorWeights(string path)
    {
        var discriminator = Discriminator ?? throw new InvalidOperationException("The training config has no discriminator section to load weights into.");
        using var weights = PipelineWeights.Read(path);
        var source = weights.Kind == "state dict" ? weights.Model : weights.Discriminator;
        if (source.Count == 0) throw new InvalidDataException($"'{path}' ({weights.Kind}) holds no discriminator tensors.");
        var report = StateDictLoader.Load(discriminator, source, new StateDictLoadOptions { SourceName = path });
        computeWeightsStale = true;
        SyncComputeCopies();
        return report;
    }

    LoadReport LoadWeightsCore(string path, bool includeDiscriminator)
    {
        using var weights = PipelineWeights.Read(path);
        var skipped = settings.SkipLoadingModules;
        bool hasSsl = weights.Model.Keys.Any(k => k.StartsWith(SslPrefix + "model.", StringComparison.Ordinal));
        var absent = new List<string>(skipped) { "feature_decoder.", "conv_upsample.", SslPrefix + "resampler." };
        if (!hasSsl) absent.Add(SslPrefix);
        var report = StateDictLoader.Load(Model, weights.Model, new StateDictLoadOptions
        {
            SourceName = $"{path} ({weights.Kind})",
            AbsentPrefixes = absent,
            IgnoredPrefixes = skipped,
        });
        if (hasSsl && !skipped.Any(s => (SslPrefix + "model.").StartsWith(s, StringComparison.Ordinal))) SslWeightsLoaded = true;
        if (includeDiscriminator && Discriminator is not null && weights.Discriminator.Count > 0)
            StateDictLoader.Load(Discriminator, weights.Discriminator, new StateDictLoadOptions { SourceName = $"{path} ({weights.Kind}, discriminator)" });
        computeWeightsStale = true;
        SyncComputeCopies();
        return report;
    }

    void LoadSslWeights(string path)
    {
        var weights = SslWeights.Load(path);
        try
        {
            StateDictLoader.Load(Model.SslFeatureExtractor.Model, weights, new StateDictLoadOptions { SourceName = path });
        }
        finally
        {
            foreach (var tensor in weights.Values) tensor.Dispose();
        }
        SslWeightsLoaded = true;
    }

    // After a load, the bfloat16 copies take every tensor again (the SSL model and buffers included).
    void SyncComputeCopies()
    {
        using var _ = no_grad();
        if (computeModel is not null && !ReferenceEquals(computeModel, Model)) CopyState(Model, computeModel);
        if (computeDiscriminator is not null && !ReferenceEquals(computeDiscriminator, Discriminator)) CopyState(Discriminator!, computeDiscriminator);
    }

    static void CopyState(nn.Module source, nn.Module destination)
    {
        var values = source.state_dict();
        foreach (var (name, tensor) in destination.state_dict()) tensor.copy_(values[name]);
    }

    /// <summary>Frees the native memory of the model, discriminator, copies and optimizers.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        GeneratorOptimizer?.Dispose();
        DiscriminatorOptimizer?.Dispose();
        if (computeModel is not null && !ReferenceEquals(computeModel, Model)) computeModel.Dispose();
        if (computeDiscriminator is not null && !ReferenceEquals(computeDiscriminator, Discriminator)) computeDiscriminator.Dispose();
        discriminatorSnapshot?.Dispose();
        MelSpectrogram?.Dispose();
        Discriminator?.Dispose();
        Model.Dispose();
    }
}
