// Resumable training state: model, discriminator, both AdamW states, both schedules, step counters and the RNG.
using System.Text.Json;
using Kanade.IO;
using Kanade.Training.Checkpoints;
using Kanade.Training.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Training.Pipeline;

public sealed partial class KanadeTrainingPipeline
{
    /// <summary>The pipeline's own part of a checkpoint's JSON state.</summary>
    sealed record PipelineState
    {
        public long TrainingSteps { get; init; }
        public long OptimizerSteps { get; init; }
        public int TotalSteps { get; init; }
        public long GeneratorSchedulerStep { get; init; }
        public long? DiscriminatorSchedulerStep { get; init; }
        public string[] GeneratorParameters { get; init; } = [];
        public long[] GeneratorAdamSteps { get; init; } = [];
        public string[] DiscriminatorParameters { get; init; } = [];
        public long[] DiscriminatorAdamSteps { get; init; } = [];
        public string RngCpu { get; init; } = "";
        public string? LoopState { get; init; }
    }

    static readonly JsonSerializerOptions StateJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// Writes everything a resumed run needs, atomically (a temporary file renamed over <paramref name="path"/>): the model
    /// (<c>model.*</c>), the discriminator (<c>discriminator.*</c>), both AdamW states (moments as tensors, step counts in
    /// the JSON state), both schedules' positions, the step counters and torch's CPU generator state.
    /// </summary>
    /// <param name="path">The checkpoint file (<c>.safetensors</c>).</param>
    /// <param name="loopState">The training loop's own JSON state (epoch, position in the data, best scores), kept verbatim.</param>
    /// <param name="configYaml">The training YAML the run used, stored for reference.</param>
    public void SaveCheckpoint(string path, string? loopState = null, string? configYaml = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in Model.state_dict()) tensors[CheckpointFormat.ModelPrefix + name] = tensor;
        if (Discriminator is not null)
            foreach (var (name, tensor) in Discriminator.state_dict()) tensors[CheckpointFormat.DiscriminatorPrefix + name] = tensor;
        var (generatorNames, generatorSteps) = AddOptimizerState(tensors, GeneratorOptimizer, Model, CheckpointFormat.GeneratorOptimizerPrefix);
        string[] discriminatorNames = [];
        long[] discriminatorSteps = [];
        if (DiscriminatorOptimizer is not null)
            (discriminatorNames, discriminatorSteps) = AddOptimizerState(tensors, DiscriminatorOptimizer, Discriminator!, CheckpointFormat.DiscriminatorOptimizerPrefix);

        var state = new PipelineState
        {
            TrainingSteps = TrainingSteps,
            OptimizerSteps = OptimizerSteps,
            TotalSteps = TotalSteps,
            GeneratorSchedulerStep = GeneratorScheduler.LastStep,
            DiscriminatorSchedulerStep = DiscriminatorScheduler?.LastStep,
            GeneratorParameters = generatorNames,
            GeneratorAdamSteps = generatorSteps,
            DiscriminatorParameters = discriminatorNames,
            DiscriminatorAdamSteps = discriminatorSteps,
            RngCpu = Convert.ToBase64String(TrainingRandom.CpuState()),
            LoopState = loopState,
        };
        var metadata = new Dictionary<string, string>
        {
            [CheckpointFormat.FormatKey] = CheckpointFormat.FormatValue,
            [CheckpointFormat.StateKey] = JsonSerializer.Serialize(state, StateJson),
        };
        if (configYaml is not null) metadata[CheckpointFormat.ConfigKey] = configYaml;
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        SafeTensors.Save(path, tensors, metadata);
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> into this pipeline (built from the same config): weights,
    /// optimizer moments and steps, schedules, counters and the CPU generator, so the next <see cref="Step(Tensor)"/> is the
    /// one the saved run would have taken. Returns the loop state that was saved with it.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a training checkpoint, or it belongs to another configuration (names which part).</exception>
    public string? LoadCheckpoint(string path)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var state = ReadState(path) ?? throw new InvalidDataException($"'{path}': empty training state.");
        if (state.TotalSteps != TotalSteps)
            throw new InvalidDataException($"'{path}' was saved with one-cycle schedules of {state.TotalSteps} steps; this run has {TotalSteps} (trainer.max_steps differs).");

        var tensors = SafeTensors.Load(path);
        try
        {
            using (no_grad())
            {
                StateDictLoader.Load(Model, Select(tensors, CheckpointFormat.ModelPrefix), new StateDictLoadOptions { SourceName = path });
                if (Discriminator is not null)
                    StateDictLoader.Load(Discriminator, Select(tensors, CheckpointFormat.DiscriminatorPrefix), new StateDictLoadOptions { SourceName = path + " (discriminator)" });
                RestoreOptimizerState(tensors, GeneratorOptimizer, Model, CheckpointFormat.GeneratorOptimizerPrefix, state.GeneratorParameters, state.GeneratorAdamSteps, path);
                if (DiscriminatorOptimizer is not null)
                    RestoreOptimizerState(tensors, DiscriminatorOptimizer, Discriminator!, CheckpointFormat.DiscriminatorOptimizerPrefix,
                        state.DiscriminatorParameters, state.DiscriminatorAdamSteps, path);
            }
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
        SslWeightsLoaded = true;
        GeneratorScheduler = new OneCycleLR(GeneratorOptimizer, GeneratorScheduler.Schedule, state.GeneratorSchedulerStep);
        if (DiscriminatorOptimizer is not null && DiscriminatorScheduler is not null)
            DiscriminatorScheduler = new OneCycleLR(DiscriminatorOptimizer, DiscriminatorScheduler.Schedule, state.DiscriminatorSchedulerStep ?? 0);
        TrainingSteps = state.TrainingSteps;
        OptimizerSteps = state.OptimizerSteps;
        TrainingRandom.RestoreCpuState(Convert.FromBase64String(state.RngCpu));
        computeWeightsStale = true;
        SyncComputeCopies();
        return state.LoopState;
    }

    /// <summary>The loop state stored in a training checkpoint, without loading anything else.</summary>
    /// <exception cref="InvalidDataException">Not a training checkpoint.</exception>
    public static string? ReadLoopState(string path) => ReadState(path)?.LoopState;

    // The JSON state in a training checkpoint's header (the header is read once).
    static PipelineState? ReadState(string path)
    {
        var metadata = PipelineWeights.TrainingCheckpointMetadata(path) ?? throw new InvalidDataException(
            $"'{path}' is not a training checkpoint written by kanade fit (no '{CheckpointFormat.FormatKey}: {CheckpointFormat.FormatValue}' metadata).");
        return JsonSerializer.Deserialize<PipelineState>(metadata[CheckpointFormat.StateKey], StateJson);
    }

    static Dictionary<string, Tensor> Select(Dictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    // The optimizer's parameters in its own order, named as in the module.
    static string[] ParameterNames(optim.Optimizer optimizer, nn.Module module)
    {
        var names = module.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        return [.. optimizer.parameters().Select(p => names.TryGetValue(p.Handle, out var name) ? name
            : throw new InvalidOperationException("An optimizer parameter does not belong to its module."))];
    }

    static (string[] Names, long[] Steps) AddOptimizerState(Dictionary<string, Tensor> tensors, optim.Optimizer optimizer, nn.Module module, string prefix)
    {
        string[] names = ParameterNames(optimizer, module);
        var states = ((OptimizerHelper)optimizer).state_dict().State;
        var steps = new long[states.Count];
        for (int i = 0; i < states.Count; i++)
        {
            var state = (AdamW.State)states[i];
            steps[i] = state.step;
            tensors[$"{prefix}{names[i]}.exp_avg"] = state.exp_avg;
            tensors[$"{prefix}{names[i]}.exp_avg_sq"] = state.exp_avg_sq;
        }
        return (names, steps);
    }

    static void RestoreOptimizerState(Dictionary<string, Tensor> tensors, optim.Optimizer optimizer, nn.Module module, string prefix,
        string[] savedNames, long[] steps, string path)
    {
        string[] names = ParameterNames(optimizer, module);
        if (!names.SequenceEqual(savedNames))
            throw new InvalidDataException(
                $"'{path}': the optimizer state covers other parameters than this run trains ({savedNames.Length} saved, {names.Length} now; " +
                "train_feature, train_mel or the architecture differ).");
        var states = ((OptimizerHelper)optimizer).state_dict().State;
        for (int i = 0; i < states.Count; i++)
        {
            var state = (AdamW.State)states[i];
            state.step = steps[i];
            foreach (var (suffix, destination) in new[] { (".exp_avg", state.exp_avg), (".exp_avg_sq", state.exp_avg_sq) })
            {
                string key = prefix + names[i] + suffix;
                if (!tensors.TryGetValue(key, out var saved) || !saved.shape.SequenceEqual(destination.shape))
                    throw new InvalidDataException($"'{path}': optimizer tensor '{key}' is missing or mis-shaped.");
                destination.copy_(saved);
            }
        }
    }
}
