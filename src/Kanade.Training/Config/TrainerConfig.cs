// The `trainer` section of a kanade-tokenizer training YAML (Lightning Trainer arguments it uses).
using System.Globalization;

namespace Kanade.Training.Config;

/// <summary>The Lightning <c>trainer</c> keys the reference's training YAMLs use; defaults are Lightning's.</summary>
public sealed record TrainerConfig
{
    /// <summary><c>auto</c>, <c>cpu</c>, <c>gpu</c> or <c>cuda</c>.</summary>
    public string Accelerator { get; init; } = "auto";
    /// <summary><c>auto</c> or a device count; one device is used.</summary>
    public string Devices { get; init; } = "auto";
    /// <summary><c>32</c>, <c>32-true</c>, <c>bf16-mixed</c>, <c>tf32</c> (see <see cref="Pipeline.PrecisionMode"/>).</summary>
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
    /// <summary>
    /// When to validate within an epoch: an integer is a number of training steps, a fraction (<c>0.25</c>, <c>1.0</c>)
    /// a part of the epoch; null for once per epoch.
    /// </summary>
    public string? ValCheckInterval { get; init; }
    /// <summary>Validate every this many epochs (with <see cref="ValCheckInterval"/> counted within them); null to count steps across epochs.</summary>
    public int? CheckValEveryNEpoch { get; init; } = 1;
    /// <summary>Validation batches per validation: an integer count or a fraction of the split; null for all.</summary>
    public string? LimitValBatches { get; init; }
    /// <summary>Test batches: an integer count or a fraction of the split; null for all.</summary>
    public string? LimitTestBatches { get; init; }
    /// <summary>Predict batches: an integer count or a fraction of the split; null for all.</summary>
    public string? LimitPredictBatches { get; init; }
    /// <summary>Validation batches run once before training to catch errors early (nothing is logged).</summary>
    public int NumSanityValSteps { get; init; } = 2;
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
        if (CheckValEveryNEpoch is < 1)
            throw new ArgumentException($"trainer.check_val_every_n_epoch must be positive or null, got {CheckValEveryNEpoch}.");
        if (NumSanityValSteps < -1)
            throw new ArgumentException($"trainer.num_sanity_val_steps must be -1 (all), 0 or more, got {NumSanityValSteps}.");
        _ = ValidationInterval;
        _ = BatchLimit.Parse(LimitValBatches, "trainer.limit_val_batches");
        _ = BatchLimit.Parse(LimitTestBatches, "trainer.limit_test_batches");
        _ = BatchLimit.Parse(LimitPredictBatches, "trainer.limit_predict_batches");
    }

    /// <summary><see cref="ValCheckInterval"/> read as Lightning does (integer: steps, decimal: fraction of an epoch).</summary>
    /// <exception cref="ArgumentException">Not a positive integer or a fraction in (0, 1].</exception>
    public BatchLimit ValidationInterval
    {
        get
        {
            var interval = BatchLimit.Parse(ValCheckInterval, "trainer.val_check_interval");
            if (interval.Count == 0 || interval.Fraction == 0)
                throw new ArgumentException("trainer.val_check_interval must be positive; use limit_val_batches: 0 to turn validation off.");
            return interval;
        }
    }
}

/// <summary>
/// A Lightning "int or float" setting: an integer is a count of batches (or steps), a decimal a fraction of an epoch.
/// Neither set means "all".
/// </summary>
/// <param name="Count">Batches, when the value was an integer.</param>
/// <param name="Fraction">Fraction in [0, 1], when the value was a decimal.</param>
public readonly record struct BatchLimit(long? Count, double? Fraction)
{
    /// <summary>No limit.</summary>
    public static BatchLimit All => new(null, null);

    /// <summary>Parses <c>100</c> (count) or <c>0.25</c> / <c>1.0</c> (fraction); null for <see cref="All"/>.</summary>
    /// <exception cref="ArgumentException">Anything else; the message names <paramref name="key"/>.</exception>
    public static BatchLimit Parse(string? text, string key)
    {
        if (text is null) return All;
        string trimmed = text.Trim();
        if (long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out long count) && count >= 0)
            return new BatchLimit(count, null);
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double fraction) && fraction is >= 0 and <= 1)
            return new BatchLimit(null, fraction);
        throw new ArgumentException($"{key} must be a whole number of batches or a fraction between 0.0 and 1.0, got '{text}'.");
    }

    /// <summary>How many of <paramref name="available"/> batches this allows (a fraction rounds down, at least one unless it is 0).</summary>
    public long Of(long available) => Count is long count ? Math.Min(count, available)
        : Fraction is double fraction ? (fraction == 0 ? 0 : Math.Max(1, (long)(available * fraction)))
        : available;
}
