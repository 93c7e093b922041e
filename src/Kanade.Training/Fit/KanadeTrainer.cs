// The Lightning Trainer loop that the reference's `cli.py fit | validate | test | predict` runs, around KanadeTrainingPipeline.
using Kanade.Training.Checkpoints;
using Kanade.Training.Config;
using Kanade.Training.Data;
using Kanade.Training.Logging;
using Kanade.Training.Pipeline;
using static TorchSharp.torch;

namespace Kanade.Training.Fit;

/// <summary>
/// Runs a training YAML: <see cref="Fit"/> trains (accumulation, validation by <c>val_check_interval</c>, TensorBoard
/// logging, ModelCheckpoint callbacks, resume from the top-level <c>ckpt_path</c>), <see cref="Validate"/> and
/// <see cref="Test"/> evaluate a split, <see cref="Predict"/> writes generated audio. Runs live in
/// <c>default_root_dir/lightning_logs/version_N</c> with checkpoints under <c>checkpoints/</c>, as Lightning's.
/// </summary>
public sealed class KanadeTrainer
{
    const int DefaultMaxEpochs = 1000;
    readonly KanadeTrainingConfig config;
    readonly FitOptions options;
    readonly TrainerConfig trainer;

    /// <summary>Creates the trainer (nothing runs until a method is called).</summary>
    /// <exception cref="ArgumentException">The config fails its checks.</exception>
    public KanadeTrainer(KanadeTrainingConfig config, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        this.config = config;
        this.options = options ?? new FitOptions();
        trainer = config.Trainer;
    }

    /// <summary>Folder of the runs: <c>default_root_dir</c> (relative to <see cref="FitOptions.BaseDirectory"/>) / <c>lightning_logs</c>.</summary>
    public string LogsRoot => Path.Combine(Resolve(trainer.DefaultRootDir ?? "."), "lightning_logs");

    /// <summary>
    /// Trains. A top-level <c>ckpt_path</c> (a training checkpoint, or <c>last</c> for the newest run's) resumes: weights,
    /// optimizers, schedules, step, RNG and the position in the data come back, so the run continues as if never stopped.
    /// </summary>
    /// <exception cref="InvalidOperationException">The config has no data section, or the data and lengths disagree.</exception>
    public FitResult Fit()
    {
        var data = config.Data ?? throw new InvalidOperationException("The training config has no data section: fit needs data.init_args.train_config.");
        string? resume = ResumePath();
        LoopState? saved = resume is null ? null : LoopState.FromJson(KanadeTrainingPipeline.ReadLoopState(resume), resume);
        int seed = saved?.Seed ?? config.SeedEverything ?? Random.Shared.Next();
        var run = config with { SeedEverything = seed };
        var settings = run.Model.PipelineConfig;
        if (data.TrainConfig.ChunkSize != settings.AudioLength)
            throw new InvalidOperationException(
                $"data.train_config.chunk_size ({data.TrainConfig.ChunkSize?.ToString() ?? "null"}) must equal pipeline_config.audio_length ({settings.AudioLength}): " +
                "training batches are cut to that length.");

        var trainLoader = TrainingData.Loader(data.TrainConfig, seed, training: true, options.BaseDirectory);
        var valLoader = TrainingData.Loader(data.EffectiveValConfig, seed, training: false, options.BaseDirectory);
        long batchesPerEpoch = trainLoader.BatchesPerEpoch;
        if (batchesPerEpoch == 0)
            throw new InvalidOperationException($"The training split gives no batch (batch_size {data.TrainConfig.BatchSize}, drop_last {data.TrainConfig.DropLast}).");
        int accumulate = trainer.AccumulateGradBatches;
        long stepsPerEpoch = (batchesPerEpoch + accumulate - 1) / accumulate;
        int? maxEpochs = trainer.MaxEpochs is -1 ? null : trainer.MaxEpochs ?? (trainer.MaxSteps > 0 ? null : DefaultMaxEpochs);
        int totalSteps = trainer.MaxSteps > 0 ? trainer.MaxSteps
            : maxEpochs is int epochs ? checked((int)(epochs * stepsPerEpoch))
            : throw new InvalidOperationException("trainer.max_steps and trainer.max_epochs are both unlimited: the one-cycle schedule needs a length.");

        using var pipeline = KanadeTrainingPipeline.FromConfig(run, PipelineOptions(totalSteps, loadCheckpoint: resume is null));
        if (resume is null) RequireSslWeights(pipeline);
        string logDirectory = NextVersionDirectory();
        using var writer = new TensorBoardWriter(logDirectory);
        if (options.ConfigYaml is { } yaml) File.WriteAllText(Path.Combine(logDirectory, "config.yaml"), yaml);
        var keepers = Keepers(Path.Combine(logDirectory, "checkpoints"));
        var progress = new ProgressReporter(options.Progress, trainer.MaxSteps);
        progress.Line($"kanade fit: {logDirectory} | {pipeline.Device.type} {pipeline.Precision} | {batchesPerEpoch} batches per epoch, " +
                      $"{totalSteps} steps{(resume is null ? "" : $" | resuming from {resume}")}");

        var state = saved ?? new LoopState { Seed = seed };
        if (resume is not null) pipeline.LoadCheckpoint(resume);
        var validations = new List<ValidationRecord>();
        var valLimit = BatchLimit.Parse(trainer.LimitValBatches, "trainer.limit_val_batches");
        if (resume is null)
        {
            if (trainer.NumSanityValSteps != 0) Evaluate(pipeline, valLoader, trainer.NumSanityValSteps < 0 ? BatchLimit.All : new BatchLimit(trainer.NumSanityValSteps, null), null, 0, "val");
            if (options.ValidateBeforeTraining && valLimit.Of(valLoader.BatchesPerEpoch) > 0)
            {
                var initial = Evaluate(pipeline, valLoader, valLimit, writer, 0, "val");
                validations.Add(new ValidationRecord(0, initial));
                progress.Validation(0, initial);
            }
        }

        string LoopJson() => state.ToJson();
        void WriteCheckpoint(string path) => pipeline.SaveCheckpoint(path, LoopJson(), options.ConfigYaml);
        IReadOnlyDictionary<string, double> CheckpointValues() =>
            new Dictionary<string, double>(state.Metrics) { ["epoch"] = state.Epoch, ["step"] = pipeline.GlobalStep };

        bool finished = Reached(pipeline);
        bool cancelled = false;
        var lastScalars = new Dictionary<string, double>();
        int epoch = state.Epoch;
        long skip = state.BatchesInEpoch;
        while (!finished && !cancelled && (maxEpochs is null || epoch < maxEpochs))
        {
            long consumed = skip;
            var group = new List<AudioBatch>(accumulate);
            foreach (var batch in trainLoader.Epoch(epoch, checked((int)skip)))
            {
                group.Add(batch);
                consumed++;
                bool lastOfEpoch = consumed == batchesPerEpoch;
                if (group.Count < accumulate && !lastOfEpoch) continue;

                TrainingStepResult result;
                long samples = group.Sum(b => (long)b.Count);
                try
                {
                    result = pipeline.Step([.. group.Select(b => b.Waveform)]);
                }
                finally
                {
                    foreach (var b in group) b.Dispose();
                    group.Clear();
                }
                long stepInEpoch = (consumed + accumulate - 1) / accumulate;
                state = lastOfEpoch ? state with { Epoch = epoch + 1, BatchesInEpoch = 0 } : state with { Epoch = epoch, BatchesInEpoch = consumed };
                progress.Count(samples);

                if (pipeline.TrainingSteps % trainer.LogEveryNSteps == 0 || Reached(pipeline))
                {
                    var scalars = new Dictionary<string, double>(result.LogScalars());
                    AddLearningRates(scalars, pipeline);
                    scalars["epoch"] = epoch;
                    writer.AddScalars(scalars, pipeline.GlobalStep);
                    writer.Flush();
                    lastScalars = scalars;
                    progress.Step(pipeline.GlobalStep, epoch, scalars, result.LearningRate);
                }

                finished = Reached(pipeline);
                bool validate = valLimit.Of(valLoader.BatchesPerEpoch) > 0
                    && (ValidationDue(pipeline.TrainingSteps, stepInEpoch, stepsPerEpoch, lastOfEpoch, epoch) || finished);
                if (validate)
                {
                    var metrics = Evaluate(pipeline, valLoader, valLimit, writer, pipeline.GlobalStep, "val");
                    state = state with { Metrics = new Dictionary<string, double>(metrics), LastValidationStep = pipeline.GlobalStep };
                    validations.Add(new ValidationRecord(pipeline.GlobalStep, metrics));
                    progress.Validation(pipeline.GlobalStep, metrics);
                }
                foreach (var keeper in keepers)
                    if (keeper.DueAfterStep(pipeline.GlobalStep) || (validate && keeper.DueAfterValidation))
                        keeper.Save(CheckpointValues(), WriteCheckpoint);

                options.AfterStep?.Invoke(result);
                if (options.Cancellation.IsCancellationRequested) cancelled = true;
                if (finished || cancelled) break;
            }
            if (finished || cancelled) break;
            epoch++;
            skip = 0;
        }

        // The end of the run (or a cancellation) leaves `last` wherever a callback asks for it.
        foreach (var keeper in keepers.Where(k => k.SavesLast))
            WriteCheckpoint(keeper.LastPath);
        if (options.FinalModelPath is { } finalPath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(finalPath))!);
            Kanade.IO.SafeTensors.Save(finalPath, pipeline.Model.state_dict());
        }
        writer.Flush();
        var lastKeeper = keepers.FirstOrDefault(k => k.SavesLast);
        return new FitResult
        {
            LogDirectory = logDirectory,
            EventFile = writer.FilePath,
            GlobalStep = pipeline.GlobalStep,
            TrainingSteps = pipeline.TrainingSteps,
            Validations = validations,
            LastCheckpoint = lastKeeper?.LastPath,
            BestCheckpoint = keepers.Select(k => k.BestPath).FirstOrDefault(p => p is not null),
            LastTrainScalars = lastScalars,
            Cancelled = cancelled,
        };

        bool Reached(KanadeTrainingPipeline p) => trainer.MaxSteps > 0 && p.GlobalStep >= trainer.MaxSteps;
    }

    /// <summary>
    /// Evaluates the validation split (<c>data.val_config</c>, else the training split) with the model of the top-level
    /// <c>ckpt_path</c> (any checkpoint format), else <c>pipeline_config.ckpt_path</c>; logs <c>val/*</c> and returns the metrics.
    /// </summary>
    public IReadOnlyDictionary<string, double> Validate() => EvaluateSplit(isTest: false);

    /// <summary>
    /// As <see cref="Validate"/> on the test split (<c>data.test_config</c>, else the validation split), logged as <c>test/*</c>.
    /// The reference defines no test_step; this is its validation step on the test data.
    /// </summary>
    public IReadOnlyDictionary<string, double> Test() => EvaluateSplit(isTest: true);

    /// <summary>
    /// The reference's predict: generated audio for every chunk of the test split, written to <paramref name="outputDirectory"/>
    /// as <c>AUDIO_ID[_OFFSET].wav</c> through <see cref="FitOptions.Vocoder"/>, or as mel spectrograms
    /// (<c>.mel.safetensors</c>, tensor <c>mel</c>, (n_mels, frames)) without a vocoder. Returns the files written.
    /// </summary>
    public IReadOnlyList<string> Predict(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var data = config.Data ?? throw new InvalidOperationException("The training config has no data section: predict reads data.init_args.test_config.");
        using var pipeline = EvaluationPipeline();
        var loader = TrainingData.Loader(data.EffectiveTestConfig, config.SeedEverything ?? 0, training: false, options.BaseDirectory);
        var limit = BatchLimit.Parse(trainer.LimitPredictBatches, "trainer.limit_predict_batches");
        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        long batches = limit.Of(loader.BatchesPerEpoch);
        foreach (var batch in loader.Epoch(0).Take(checked((int)batches)))
        {
            using var _ = batch;
            using var scope = NewDisposeScope();
            var mel = pipeline.Generate(batch.Waveform).cpu();
            for (int i = 0; i < batch.Count; i++)
            {
                string name = batch.FrameOffsets[i] == 0 && data.EffectiveTestConfig.ChunkSize is null
                    ? batch.AudioIds[i] : $"{batch.AudioIds[i]}_{batch.FrameOffsets[i]}";
                foreach (char invalid in Path.GetInvalidFileNameChars()) name = name.Replace(invalid, '_');
                if (options.Vocoder is { } vocoder)
                {
                    using var audio = vocoder.Vocode(mel[i].unsqueeze(0))[0].cpu();     // (1, n_mels, T) -> (1, S) -> (S,)
                    string path = Path.Combine(outputDirectory, name + ".wav");
                    Kanade.AudioFile.Write(path, audio, vocoder.SampleRate);
                    written.Add(path);
                }
                else
                {
                    string path = Path.Combine(outputDirectory, name + ".mel.safetensors");
                    Kanade.IO.SafeTensors.Save(path, new Dictionary<string, Tensor> { ["mel"] = mel[i] });
                    written.Add(path);
                }
            }
            options.Progress?.WriteLine($"predict: {written.Count} items");
        }
        return written;
    }

    IReadOnlyDictionary<string, double> EvaluateSplit(bool isTest)
    {
        var data = config.Data ?? throw new InvalidOperationException("The training config has no data section to evaluate.");
        var split = isTest ? data.EffectiveTestConfig : data.EffectiveValConfig;
        string prefix = isTest ? "test" : "val";
        var limit = BatchLimit.Parse(isTest ? trainer.LimitTestBatches : trainer.LimitValBatches, $"trainer.limit_{prefix}_batches");
        using var pipeline = EvaluationPipeline();
        var loader = TrainingData.Loader(split, config.SeedEverything ?? 0, training: false, options.BaseDirectory);
        string logDirectory = NextVersionDirectory();
        using var writer = new TensorBoardWriter(logDirectory);
        var metrics = Evaluate(pipeline, loader, limit, writer, pipeline.GlobalStep, prefix);
        new ProgressReporter(options.Progress, 0).Validation(pipeline.GlobalStep, metrics);
        return metrics;
    }

    // validate/test/predict: the top-level ckpt_path (any format; a training checkpoint restores its step too), else the
    // pipeline_config.ckpt_path that FromConfig loads.
    KanadeTrainingPipeline EvaluationPipeline()
    {
        string? checkpoint = ResumePath();
        var pipeline = KanadeTrainingPipeline.FromConfig(config,
            PipelineOptions(trainer.MaxSteps > 0 ? trainer.MaxSteps : 1, loadCheckpoint: checkpoint is null));
        try
        {
            // Weights only: evaluation needs no optimizer or schedule (whose length may differ from this config's).
            if (checkpoint is not null) pipeline.LoadWeights(checkpoint);
            RequireSslWeights(pipeline);
            return pipeline;
        }
        catch
        {
            pipeline.Dispose();
            throw;
        }
    }

    TrainingPipelineOptions PipelineOptions(int totalSteps, bool loadCheckpoint) => new()
    {
        Device = ResolveDevice(),
        SslWeightsPath = options.SslWeightsPath,
        Precision = options.Precision,
        StepCounting = options.StepCounting,
        TotalSteps = totalSteps,
        LoadCheckpoint = loadCheckpoint,
    };

    static void RequireSslWeights(KanadeTrainingPipeline pipeline)
    {
        if (!pipeline.SslWeightsLoaded)
            throw new InvalidOperationException(
                $"The frozen SSL model ({pipeline.Config.Model.SslFeatureExtractor.ModelName}) has no weights: pass them with --ssl-weights " +
                "(FitOptions.SslWeightsPath), or start from a checkpoint that holds ssl_feature_extractor.model.* tensors.");
    }

    /// <summary>Batch-size-weighted means of the losses over the split; logs them, and mel images / audio of the first items.</summary>
    IReadOnlyDictionary<string, double> Evaluate(KanadeTrainingPipeline pipeline, AudioBatchLoader loader, BatchLimit limit,
        TensorBoardWriter? writer, long step, string prefix)
    {
        long batches = limit.Of(loader.BatchesPerEpoch);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        long items = 0;
        int examples = 0;
        int wanted = writer is null || !pipeline.Config.Model.PipelineConfig.TrainMel ? 0 : pipeline.Config.Model.PipelineConfig.LogMelSamples;
        foreach (var batch in loader.Epoch(0).Take(checked((int)batches)))
        {
            using var _ = batch;
            using var result = pipeline.Evaluate(batch.Waveform);
            foreach (var (tag, value) in result.LogScalars(prefix))
                sums[tag] = sums.GetValueOrDefault(tag) + value * result.BatchSize;
            items += result.BatchSize;
            if (examples < wanted && result.MelReal is not null && result.MelRecon is not null)
            {
                LogExample(writer!, examples, result.MelReal[0], result.MelRecon[0], batch.Waveform[0], step, prefix);
                examples++;
            }
        }
        var means = sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(items, 1), StringComparer.Ordinal);
        if (writer is not null)
        {
            writer.AddScalars(means, step);
            writer.Flush();
        }
        return means;
    }

    void LogExample(TensorBoardWriter writer, int index, Tensor melReal, Tensor melRecon, Tensor waveform, long step, string prefix)
    {
        var (real, width, height) = MelImage.Render(melReal);
        writer.AddImage($"{prefix}/{index}_mel_real", real, width, height, step);
        var (generated, genWidth, genHeight) = MelImage.Render(melRecon);
        writer.AddImage($"{prefix}/{index}_mel_gen", generated, genWidth, genHeight, step);
        if (options.Vocoder is not { } vocoder) return;
        using var scope = NewDisposeScope();
        var audioReal = waveform.reshape(-1).to(ScalarType.Float32).cpu();
        var audioGen = vocoder.Vocode(melRecon.unsqueeze(0))[0].to(ScalarType.Float32).cpu();     // (1, n_mels, T) -> (1, S) -> (S,)
        int rate = config.Model.ModelConfig.SampleRate;
        writer.AddAudio($"{prefix}/{index}_audio_real", audioReal.data<float>().ToArray(), rate, step);
        writer.AddAudio($"{prefix}/{index}_audio_gen", audioGen.data<float>().ToArray(), vocoder.SampleRate, step);
    }

    bool ValidationDue(long trainingSteps, long stepInEpoch, long stepsPerEpoch, bool lastOfEpoch, int epoch)
    {
        bool epochSelected = trainer.CheckValEveryNEpoch is not int everyEpochs || (epoch + 1) % everyEpochs == 0;
        var interval = trainer.ValidationInterval;
        if (interval.Count is long count)
            return trainer.CheckValEveryNEpoch is null ? trainingSteps % count == 0 : epochSelected && stepInEpoch % count == 0;
        if (interval.Fraction is double fraction)
        {
            long every = Math.Max(1, (long)(stepsPerEpoch * fraction));
            return epochSelected && (stepInEpoch % every == 0 || (fraction >= 1 && lastOfEpoch));
        }
        return epochSelected && lastOfEpoch;
    }

    // Lightning's LearningRateMonitor names: one AdamW is lr-AdamW; with the GAN the discriminator's comes first
    // (configure_optimizers returns [disc, gen]), so the generator's is lr-AdamW-1.
    static void AddLearningRates(Dictionary<string, double> scalars, KanadeTrainingPipeline pipeline)
    {
        if (pipeline.DiscriminatorScheduler is { } discriminator)
        {
            scalars["lr-AdamW"] = discriminator.LastLearningRates[0];
            scalars["lr-AdamW-1"] = pipeline.GeneratorScheduler.LastLearningRates[0];
        }
        else scalars["lr-AdamW"] = pipeline.GeneratorScheduler.LastLearningRates[0];
    }

    List<CheckpointKeeper> Keepers(string directory)
    {
        var callbacks = trainer.Callbacks.OfType<ModelCheckpointCallback>().ToList();
        // Lightning adds a ModelCheckpoint keeping the latest; this one also writes `last` so a killed run can resume.
        if (callbacks.Count == 0) callbacks.Add(new ModelCheckpointCallback { SaveLast = true });
        return [.. callbacks.Select(c => new CheckpointKeeper(c, c.Dirpath is null ? directory : Resolve(c.Dirpath)))];
    }

    string? ResumePath()
    {
        if (config.CkptPath is not { } path) return null;
        if (path != "last") return Resolve(path);
        var newest = Versions()
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Folder, "checkpoints", CheckpointKeeper.LastName + CheckpointFormat.Extension))
            .FirstOrDefault(File.Exists);
        return newest ?? throw new FileNotFoundException($"ckpt_path 'last': no checkpoints/last{CheckpointFormat.Extension} under '{LogsRoot}'.");
    }

    string NextVersionDirectory()
    {
        Directory.CreateDirectory(LogsRoot);
        int next = Versions().Select(d => d.Version).DefaultIfEmpty(-1).Max() + 1;
        string path = Path.Combine(LogsRoot, $"version_{next}");
        Directory.CreateDirectory(path);
        return path;
    }

    // The run folders lightning_logs/version_N (N = -1 when the suffix is not a number).
    IEnumerable<(string Folder, int Version)> Versions() => Directory.Exists(LogsRoot)
        ? Directory.GetDirectories(LogsRoot, "version_*")
            .Select(d => (d, int.TryParse(Path.GetFileName(d)["version_".Length..], out int v) ? v : -1))
        : [];

    Device ResolveDevice()
    {
        if (options.Device is { } device) return device;
        return trainer.Accelerator.ToLowerInvariant() switch
        {
            "cpu" => CPU,
            "gpu" or "cuda" => cuda.is_available() ? CUDA
                : throw new InvalidOperationException($"trainer.accelerator is '{trainer.Accelerator}' but CUDA is not available; use cpu or auto."),
            "auto" => cuda.is_available() ? CUDA : CPU,
            _ => throw new ArgumentException($"trainer.accelerator '{trainer.Accelerator}' is not one of auto, cpu, gpu, cuda."),
        };
    }

    string Resolve(string path) => options.BaseDirectory is null || Path.IsPathRooted(path) ? path : Path.Combine(options.BaseDirectory, path);
}
