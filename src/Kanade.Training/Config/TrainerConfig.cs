// The `trainer` section of a kanade-tokenizer training YAML (Lightning Trainer arguments it uses).
namespace Kanade.Training.Config;

/// <summary>The Lightning <c>trainer</c> keys the reference's training YAMLs use; defaults are Lightning's.</summary>
public sealed record TrainerConfig
{
    /// <summary><c>auto</c>, <c>cpu</c>, <c>gpu</c> or <c>cuda</c>.</summary>
    public string Accelerator { get; init; } = "auto";
    /// <summary><c>auto</c> or a device count; one device is used.</summary>
    public string Devices { get; init; } = "auto";
    /// <summary><c>32</c>, <c>32-true</c>, <c>bf16-mixed</c>, ...</summary>
    public string Precision { get; init; } = "32-true";
    /// <summary>Training steps; -1 for unlimited (then <see cref="MaxEpochs"/> bounds the run). Also the one-cycle length.</summary>
    public int MaxSteps { get; init; } = -1;
    /// <summary>Epochs; null for unlimited when <see cref="MaxSteps"/> is set (Lightning: 1000 when neither is).</summary>
    public int? MaxEpochs { get; init; }
    /// <summary>Batches whose gradients are summed before each optimiser step.</summary>
    public int AccumulateGradBatches { get; init; } = 1;
    /// <summary>Folder for logs and checkpoints; null for the working directory.</summary>
    public string? DefaultRootDir { get; init; }
    /// <summary>Steps between logged training scalars.</summary>
    public int LogEveryNSteps { get; init; } = 50;
    /// <summary>Callbacks, each chosen by its <c>class_path</c>.</summary>
    public IReadOnlyList<TrainerCallback> Callbacks { get; init; } = [];

    /// <summary>Checks ranges; the message names the key.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (MaxSteps == 0 || MaxSteps < -1)
            throw new ArgumentException($"trainer.max_steps must be positive or -1, got {MaxSteps}.");
        if (MaxEpochs is < -1 or 0)
            throw new ArgumentException($"trainer.max_epochs must be positive, -1 or null, got {MaxEpochs}.");
        if (AccumulateGradBatches < 1)
            throw new ArgumentException($"trainer.accumulate_grad_batches must be positive, got {AccumulateGradBatches}.");
        if (LogEveryNSteps < 1)
            throw new ArgumentException($"trainer.log_every_n_steps must be positive, got {LogEveryNSteps}.");
    }
}
