// What a kanade fit run leaves behind.
namespace Kanade.Training.Fit;

/// <summary>The metrics of one validation (<c>val/gen/mel_l1</c>, <c>val/loss</c>, ...) at a step.</summary>
/// <param name="Step">Global step at which it ran.</param>
/// <param name="Metrics">Batch-size-weighted means over the validation batches.</param>
public sealed record ValidationRecord(long Step, IReadOnlyDictionary<string, double> Metrics);

/// <summary>The outcome of <see cref="KanadeTrainer.Fit"/>.</summary>
public sealed record FitResult
{
    /// <summary>The run folder (<c>default_root_dir/lightning_logs/version_N</c>).</summary>
    public required string LogDirectory { get; init; }
    /// <summary>The TensorBoard event file.</summary>
    public required string EventFile { get; init; }
    /// <summary>Global step at the end.</summary>
    public required long GlobalStep { get; init; }
    /// <summary>Training steps at the end.</summary>
    public required long TrainingSteps { get; init; }
    /// <summary>Every validation of the run, in order.</summary>
    public required IReadOnlyList<ValidationRecord> Validations { get; init; }
    /// <summary>The <c>last</c> checkpoint, when one was written.</summary>
    public string? LastCheckpoint { get; init; }
    /// <summary>The best checkpoint by the first monitored metric (or the latest kept), when any.</summary>
    public string? BestCheckpoint { get; init; }
    /// <summary>The training scalars of the last step.</summary>
    public IReadOnlyDictionary<string, double> LastTrainScalars { get; init; } = new Dictionary<string, double>();
    /// <summary>Whether the run stopped on its cancellation token before its end.</summary>
    public bool Cancelled { get; init; }
}
