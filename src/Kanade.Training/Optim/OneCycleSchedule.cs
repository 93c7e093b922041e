// Port of torch.optim.lr_scheduler.OneCycleLR's schedule (PyTorch, BSD-3), two-phase form, as
// kanade-tokenizer pipeline.py configures it.
namespace Kanade.Training.Optim;

/// <summary>
/// The one-cycle schedule as a pure function of the step: the learning rate rises from
/// <c>max / div_factor</c> to <c>max</c> over the first <c>pct_start</c> of <c>total_steps</c> and falls to
/// <c>max / div_factor / final_div_factor</c> by the last step, while the momentum (Adam's beta1) moves the
/// other way between <see cref="MaxMomentum"/> and <see cref="BaseMomentum"/>. Same arithmetic, in doubles,
/// as PyTorch's <c>OneCycleLR.get_lr</c> with <c>three_phase=False</c>.
/// </summary>
public sealed record OneCycleSchedule
{
    /// <summary>Creates the schedule; argument names are PyTorch's, with the reference's YAML keys in the docs.</summary>
    /// <param name="maxLearningRate">Peak learning rate (<c>pipeline_config.lr</c>).</param>
    /// <param name="totalSteps">Steps in the cycle (<c>trainer.max_steps</c>).</param>
    /// <param name="pctStart">Fraction of the cycle spent warming up (<c>warmup_percent</c>; PyTorch default 0.3).</param>
    /// <param name="anneal">Anneal strategy (<c>anneal_mode</c>).</param>
    /// <param name="divFactor">Initial rate = max / this (<c>lr_div_factor</c>; PyTorch default 25).</param>
    /// <param name="finalDivFactor">Final rate = initial / this (<c>lr_final_div_factor</c>; PyTorch default 1e4).</param>
    /// <param name="cycleMomentum">Cycle beta1 inversely to the rate (PyTorch's default, which the reference keeps).</param>
    /// <param name="baseMomentum">Beta1 at the peak rate.</param>
    /// <param name="maxMomentum">Beta1 at the start and end of the cycle.</param>
    /// <exception cref="ArgumentException">An argument is out of range, or the warm-up phase has zero length.</exception>
    public OneCycleSchedule(double maxLearningRate, int totalSteps, double pctStart = 0.3, AnnealStrategy anneal = AnnealStrategy.Cos,
        double divFactor = 25.0, double finalDivFactor = 1e4, bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95)
    {
        if (!(maxLearningRate > 0) || double.IsInfinity(maxLearningRate))
            throw new ArgumentOutOfRangeException(nameof(maxLearningRate), maxLearningRate, "The peak learning rate (pipeline_config.lr) must be positive and finite.");
        if (totalSteps <= 0)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "total_steps (trainer.max_steps) must be a positive number of steps.");
        if (!(pctStart >= 0 && pctStart <= 1))
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "pct_start (pipeline_config.warmup_percent) must be between 0 and 1.");
        if (!(divFactor > 0))
            throw new ArgumentOutOfRangeException(nameof(divFactor), divFactor, "div_factor (pipeline_config.lr_div_factor) must be positive.");
        if (!(finalDivFactor > 0))
            throw new ArgumentOutOfRangeException(nameof(finalDivFactor), finalDivFactor, "final_div_factor (pipeline_config.lr_final_div_factor) must be positive.");
        WarmupEndStep = pctStart * totalSteps - 1;
        // PyTorch divides 0 by 0 at step 0 here (ZeroDivisionError); say why before training starts.
        if (WarmupEndStep == 0)
            throw new ArgumentException(
                $"warmup_percent {pctStart} x max_steps {totalSteps} = 1 gives a warm-up phase of zero length, which PyTorch's OneCycleLR cannot evaluate; " +
                "use a warm-up of 0 or of at least 2 steps.", nameof(pctStart));

        MaxLearningRate = maxLearningRate;
        TotalSteps = totalSteps;
        PctStart = pctStart;
        Anneal = anneal;
        DivFactor = divFactor;
        FinalDivFactor = finalDivFactor;
        CycleMomentum = cycleMomentum;
        BaseMomentum = baseMomentum;
        MaxMomentum = maxMomentum;
    }

    /// <summary>Peak learning rate.</summary>
    public double MaxLearningRate { get; }
    /// <summary>Steps in the cycle; <see cref="At"/> accepts 0 ... <see cref="TotalSteps"/>.</summary>
    public int TotalSteps { get; }
    /// <summary>Warm-up fraction.</summary>
    public double PctStart { get; }
    /// <summary>Anneal strategy.</summary>
    public AnnealStrategy Anneal { get; }
    /// <summary>Initial rate = max / this.</summary>
    public double DivFactor { get; }
    /// <summary>Final rate = initial / this.</summary>
    public double FinalDivFactor { get; }
    /// <summary>Whether beta1 is cycled.</summary>
    public bool CycleMomentum { get; }
    /// <summary>Beta1 at the peak rate.</summary>
    public double BaseMomentum { get; }
    /// <summary>Beta1 at the start and end.</summary>
    public double MaxMomentum { get; }

    /// <summary>The rate at step 0: max / div_factor.</summary>
    public double InitialLearningRate => MaxLearningRate / DivFactor;
    /// <summary>The rate at the last step: initial / final_div_factor.</summary>
    public double MinLearningRate => InitialLearningRate / FinalDivFactor;
    /// <summary>Last step of the warm-up phase, <c>pct_start * total_steps - 1</c> (need not be whole).</summary>
    public double WarmupEndStep { get; }

    /// <summary>
    /// Learning rate and momentum after <paramref name="step"/> scheduler steps (0 = at construction).
    /// Momentum is null when <see cref="CycleMomentum"/> is off.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative or beyond <see cref="TotalSteps"/>.</exception>
    public (double LearningRate, double? Momentum) At(long step)
    {
        if (step < 0 || step > TotalSteps)
            throw new ArgumentOutOfRangeException(nameof(step), step,
                $"Tried to step {step} times; the one-cycle schedule has total_steps = {TotalSteps}.");
        double lastStep = TotalSteps - 1;
        double startStep, endStep, startLr, endLr, startMomentum, endMomentum;
        if (step <= WarmupEndStep)
            (startStep, endStep, startLr, endLr, startMomentum, endMomentum) =
                (0.0, WarmupEndStep, InitialLearningRate, MaxLearningRate, MaxMomentum, BaseMomentum);
        else
            (startStep, endStep, startLr, endLr, startMomentum, endMomentum) =
                (WarmupEndStep, lastStep, MaxLearningRate, MinLearningRate, BaseMomentum, MaxMomentum);
        if (endStep == startStep)
            throw new InvalidOperationException(
                $"Step {step} falls in a phase of zero length (pct_start {PctStart}, total_steps {TotalSteps}); PyTorch's OneCycleLR fails here too.");
        double pct = (step - startStep) / (endStep - startStep);
        double? momentum = CycleMomentum ? Interpolate(startMomentum, endMomentum, pct) : null;
        return (Interpolate(startLr, endLr, pct), momentum);
    }

    double Interpolate(double start, double end, double pct) => Anneal switch
    {
        AnnealStrategy.Cos => end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1),
        _ => (end - start) * pct + start,
    };

    /// <summary>Parses the YAML spelling of <c>anneal_mode</c> (<c>cos</c>, <c>linear</c>).</summary>
    /// <exception cref="ArgumentException">Any other value.</exception>
    public static AnnealStrategy ParseAnneal(string value) => value switch
    {
        "cos" => AnnealStrategy.Cos,
        "linear" => AnnealStrategy.Linear,
        _ => throw new ArgumentException($"pipeline_config.anneal_mode '{value}' is not supported; expected 'cos' or 'linear'.", nameof(value)),
    };
}
