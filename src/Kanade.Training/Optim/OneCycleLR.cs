// Port of torch.optim.lr_scheduler.OneCycleLR (PyTorch, BSD-3) over TorchSharp optimizers' param groups.
using TorchSharp.Modules;
using static TorchSharp.torch.optim;

namespace Kanade.Training.Optim;

/// <summary>
/// Drives an optimizer along a <see cref="OneCycleSchedule"/>: like PyTorch, construction applies step 0
/// (rate = max / div_factor, beta1 or momentum = max_momentum) and each <see cref="Step"/> after an optimizer
/// step applies the next. Every param group gets the same schedule (the reference has one group per optimizer).
/// </summary>
public sealed class OneCycleLR
{
    readonly Optimizer optimizer;

    /// <summary>Attaches <paramref name="schedule"/> to <paramref name="optimizer"/> and applies step <paramref name="lastStep"/>.</summary>
    /// <param name="optimizer">A TorchSharp optimizer; with momentum cycling its param groups must have betas (Adam family) or momentum (SGD, RMSprop).</param>
    /// <param name="schedule">The schedule.</param>
    /// <param name="lastStep">The step to start from: 0 for a new run, the saved <see cref="LastStep"/> when resuming.</param>
    /// <exception cref="ArgumentException">The optimizer has neither betas nor momentum while the schedule cycles momentum.</exception>
    public OneCycleLR(Optimizer optimizer, OneCycleSchedule schedule, long lastStep = 0)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        this.optimizer = optimizer;
        Schedule = schedule;
        if (schedule.CycleMomentum && optimizer.ParamGroups.Any(g => g is not (IBetas or IMomentum)))
            throw new ArgumentException(
                $"{optimizer.GetType().Name} has no betas or momentum to cycle; build the schedule with cycleMomentum: false.", nameof(optimizer));
        Apply(lastStep);
    }

    /// <summary>The schedule followed.</summary>
    public OneCycleSchedule Schedule { get; }

    /// <summary>Scheduler steps taken (PyTorch's <c>last_epoch</c>); save it to resume.</summary>
    public long LastStep { get; private set; }

    /// <summary>The learning rate now set on each param group (PyTorch's <c>get_last_lr()</c>).</summary>
    public IReadOnlyList<double> LastLearningRates => [.. optimizer.ParamGroups.Select(g => g.LearningRate)];

    /// <summary>Advances one step; call after the optimizer's step, once per training step.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Stepped past <see cref="OneCycleSchedule.TotalSteps"/>.</exception>
    public void Step() => Apply(LastStep + 1);

    void Apply(long step)
    {
        var (learningRate, momentum) = Schedule.At(step);
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
            if (momentum is double m)
            {
                if (group is IBetas withBetas) withBetas.Betas = (m, withBetas.Betas.Item2);
                else if (group is IMomentum withMomentum) withMomentum.Momentum = m;
            }
        }
        LastStep = step;
    }
}
