// How KanadeTrainingPipeline.FromConfig builds the pipeline beyond what the training YAML says.
using static TorchSharp.torch;

namespace Kanade.Training.Pipeline;

/// <summary>Options of <see cref="KanadeTrainingPipeline.FromConfig(string, TrainingPipelineOptions)"/>; the defaults suit a CPU session.</summary>
public sealed record TrainingPipelineOptions
{
    /// <summary>Device of the model, discriminator and optimizer state; null for the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>
    /// WavLM weights (torchaudio <c>.pth</c>, Hugging Face, or safetensors with torchaudio names) for the frozen SSL model;
    /// needed unless a checkpoint loaded later holds them (<c>ssl_feature_extractor.model.*</c>).
    /// </summary>
    public string? SslWeightsPath { get; init; }

    /// <summary>Arithmetic; null for <c>trainer.precision</c>.</summary>
    public PrecisionMode? Precision { get; init; }

    /// <summary>What counts as a step (see <see cref="Pipeline.StepCounting"/>).</summary>
    public StepCounting StepCounting { get; init; } = StepCounting.TrainingSteps;

    /// <summary>Length of the one-cycle schedules; null for <c>trainer.max_steps</c> (required when that is -1).</summary>
    public int? TotalSteps { get; init; }

    /// <summary>Load <c>pipeline_config.ckpt_path</c> (with <c>skip_loading_modules</c>) while building. Default true.</summary>
    public bool LoadCheckpoint { get; init; } = true;

    /// <summary>Seed torch's generators with <c>seed_everything</c> (when set) before the weights are initialised. Default true.</summary>
    public bool Seed { get; init; } = true;

    /// <summary>Let steps run with a randomly initialised SSL model (throughput benchmarks only; the losses mean nothing).</summary>
    public bool AllowRandomSslWeights { get; init; }
}
