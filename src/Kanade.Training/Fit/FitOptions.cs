// What `kanade fit | validate | test | predict` take beyond the training YAML.
using Kanade.Training.Pipeline;
using static TorchSharp.torch;

namespace Kanade.Training.Fit;

/// <summary>Options of <see cref="KanadeTrainer"/>; the defaults suit the command line.</summary>
public sealed record FitOptions
{
    /// <summary>Device; null for <c>trainer.accelerator</c> (<c>auto</c>: CUDA when available).</summary>
    public Device? Device { get; init; }
    /// <summary>WavLM weights for the frozen SSL model, unless a checkpoint holds them.</summary>
    public string? SslWeightsPath { get; init; }
    /// <summary>Vocoder for validation audio and <c>predict</c> (the reference loads the one <c>vocoder_name</c> names); null for none.</summary>
    public IVocoder? Vocoder { get; init; }
    /// <summary>What a step is (see <see cref="Pipeline.StepCounting"/>).</summary>
    public StepCounting StepCounting { get; init; } = StepCounting.TrainingSteps;
    /// <summary>Arithmetic; null for <c>trainer.precision</c>.</summary>
    public PrecisionMode? Precision { get; init; }
    /// <summary>Where progress lines go; null for silence.</summary>
    public TextWriter? Progress { get; init; } = Console.Out;
    /// <summary>Folder that relative data paths and <c>default_root_dir</c> start from; null for the working directory.</summary>
    public string? BaseDirectory { get; init; }
    /// <summary>Validate once before the first step (logged at step 0), to see where training starts.</summary>
    public bool ValidateBeforeTraining { get; init; }
    /// <summary>Called after every training step (and its logging, validation and checkpoints).</summary>
    public Action<TrainingStepResult>? AfterStep { get; init; }
    /// <summary>The training YAML's text (after overrides), kept in the run folder and in checkpoints.</summary>
    public string? ConfigYaml { get; init; }
    /// <summary>Where to write the model's whole state dict (SSL model included) when the run ends; null for nowhere.</summary>
    public string? FinalModelPath { get; init; }
    /// <summary>Stops the run (after the current step, with a <c>last</c> checkpoint when one is configured).</summary>
    public CancellationToken Cancellation { get; init; }
}
