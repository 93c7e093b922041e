// The Lightning callbacks of kanade-tokenizer's training YAMLs (trainer.callbacks, class_path + init_args).
namespace Kanade.Training.Config;

/// <summary>A <c>trainer.callbacks</c> entry; <see cref="ByClassPath"/> gives the record for each supported <c>class_path</c>.</summary>
public abstract record TrainerCallback
{
    /// <summary>Supported <c>class_path</c> values and the record their <c>init_args</c> map to.</summary>
    public static IReadOnlyDictionary<string, Type> ByClassPath { get; } = new Dictionary<string, Type>
    {
        ["lightning.pytorch.callbacks.ModelCheckpoint"] = typeof(ModelCheckpointCallback),
        ["lightning.pytorch.callbacks.LearningRateMonitor"] = typeof(LearningRateMonitorCallback),
        ["lightning.pytorch.callbacks.ModelSummary"] = typeof(ModelSummaryCallback),
    };
}

/// <summary>Lightning <c>ModelCheckpoint</c>: keep the best checkpoints by a monitored metric, and <c>last</c>.</summary>
public sealed record ModelCheckpointCallback : TrainerCallback
{
    /// <summary>Folder; null for <c>default_root_dir</c>'s checkpoints folder.</summary>
    public string? Dirpath { get; init; }
    /// <summary>Name template, e.g. <c>step={step}-loss={val/gen/mel_l1:.4f}</c>; null for <c>epoch={epoch}-step={step}</c>.</summary>
    public string? Filename { get; init; }
    /// <summary>Logged metric that ranks checkpoints; null keeps the latest only.</summary>
    public string? Monitor { get; init; }
    /// <summary><c>min</c> or <c>max</c>.</summary>
    public string Mode { get; init; } = "min";
    /// <summary>Also write <c>last</c>.</summary>
    public bool? SaveLast { get; init; }
    /// <summary>Best checkpoints kept; -1 keeps all.</summary>
    public int SaveTopK { get; init; } = 1;
    /// <summary>Steps between checkpoints; null for every validation.</summary>
    public int? EveryNTrainSteps { get; init; }
    /// <summary>Write <c>name=value</c> for metrics in <see cref="Filename"/> (false: the template's text is used as is).</summary>
    public bool AutoInsertMetricName { get; init; } = true;
}

/// <summary>Lightning <c>LearningRateMonitor</c>: logs each optimiser's learning rate.</summary>
public sealed record LearningRateMonitorCallback : TrainerCallback
{
    /// <summary><c>step</c>, <c>epoch</c> or null (the scheduler's interval).</summary>
    public string? LoggingInterval { get; init; }
}

/// <summary>Lightning <c>ModelSummary</c>: prints the module tree with parameter counts at the start.</summary>
public sealed record ModelSummaryCallback : TrainerCallback
{
    /// <summary>Depth of the printed tree.</summary>
    public int MaxDepth { get; init; } = 1;
}
