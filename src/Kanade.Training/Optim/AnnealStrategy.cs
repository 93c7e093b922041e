// The anneal_strategy of PyTorch's OneCycleLR (kanade-tokenizer's pipeline_config.anneal_mode).
namespace Kanade.Training.Optim;

/// <summary>How <see cref="OneCycleSchedule"/> moves between two values within a phase.</summary>
public enum AnnealStrategy
{
    /// <summary><c>cos</c>: end + (start - end) / 2 * (cos(pi * pct) + 1).</summary>
    Cos,
    /// <summary><c>linear</c>: (end - start) * pct + start.</summary>
    Linear,
}
