using Kanade.Training.Optim;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Optim;

// Expected values come from PyTorch's OneCycleLR formula (three_phase=False), worked by hand:
//   initial = max / div, min = initial / final_div, warm-up ends at e1 = pct_start * total - 1,
//   phase 1 (step <= e1): pct = step / e1, rate initial -> max, beta1 max_momentum -> base_momentum;
//   phase 2: pct = (step - e1) / (total - 1 - e1), rate max -> min, beta1 base_momentum -> max_momentum;
//   cos(a, b, pct) = b + (a - b) / 2 * (cos(pi pct) + 1);  linear(a, b, pct) = (b - a) pct + a.
[TestClass]
public sealed class OneCycleScheduleTests
{
    const double Relative = 1e-12;

    static void AssertAt(OneCycleSchedule schedule, long step, double learningRate, double momentum)
    {
        var (lr, m) = schedule.At(step);
        Assert.AreEqual(learningRate, lr, Relative * learningRate, $"lr at step {step}");
        Assert.IsNotNull(m);
        Assert.AreEqual(momentum, m.Value, 1e-12, $"momentum at step {step}");
    }

    [TestMethod]
    public void CosineScheduleOfTheFixtureTrainConfig()
    {
        // tiny12/train.yaml: lr 2e-4, max_steps 100, reference defaults warmup 0.1, div 10, final div 1, cos.
        // initial = min = 2e-5; e1 = 0.1 * 100 - 1 = 9; phase 2 spans 9 .. 99.
        var schedule = new OneCycleSchedule(2e-4, 100, pctStart: 0.1, anneal: AnnealStrategy.Cos, divFactor: 10, finalDivFactor: 1);
        AssertAt(schedule, 0, 2e-5, 0.95);                 // pct 0: the initial rate, beta1 = max momentum
        AssertAt(schedule, 3, 6.5e-5, 0.925);              // pct 1/3, cos(pi/3) + 1 = 1.5: 2e-4 - 1.8e-4 / 2 * 1.5; 0.85 + 0.1 / 2 * 1.5
        AssertAt(schedule, 9, 2e-4, 0.85);                 // pct 1: the peak
        AssertAt(schedule, 10, 1.9994517443171865e-4, 0.8500304586490451); // pct 1/90: 2e-5 + 9e-5 (1 + cos(2 deg) = 1.99939083)
        AssertAt(schedule, 54, 1.1e-4, 0.9);               // pct 1/2: 2e-5 + 1.8e-4 / 2; 0.95 - 0.1 / 2
        AssertAt(schedule, 99, 2e-5, 0.95);                // pct 1: the final rate
        AssertAt(schedule, 100, 2.0054825568281382e-5, 0.9499695413509548); // pct 91/90: 2e-5 + 9e-5 (1 - cos(2 deg))
    }

    [TestMethod]
    public void LinearScheduleLikeTheCleanConfig()
    {
        // 25hz_clean.yaml's shape at 400 steps: lr 1e-4, warmup 0.025, div 10, final div 10, linear.
        // initial 1e-5, min 1e-6, e1 = 0.025 * 400 - 1 = 9, phase 2 spans 9 .. 399.
        var schedule = new OneCycleSchedule(1e-4, 400, pctStart: 0.025, anneal: AnnealStrategy.Linear, divFactor: 10, finalDivFactor: 10);
        AssertAt(schedule, 0, 1e-5, 0.95);
        AssertAt(schedule, 3, 4e-5, 0.9166666666666666);   // 1e-5 + 9e-5 / 3; 0.95 - 0.1 / 3
        AssertAt(schedule, 9, 1e-4, 0.85);
        AssertAt(schedule, 204, 5.05e-5, 0.9);             // pct 195/390 = 1/2: 1e-4 - 9.9e-5 / 2
        AssertAt(schedule, 399, 1e-6, 0.95);
        AssertAt(schedule, 400, 7.461538461538434e-7, 0.9502564102564102); // pct 391/390: a little past the end, as PyTorch
    }

    [TestMethod]
    public void WarmupEndingBetweenSteps()
    {
        // max 1, total 10, pct 0.25, div 4, final 2, cos: initial 0.25, min 0.125, e1 = 1.5, phase 2 spans 1.5 .. 9.
        var schedule = new OneCycleSchedule(1.0, 10, pctStart: 0.25, anneal: AnnealStrategy.Cos, divFactor: 4, finalDivFactor: 2);
        Assert.AreEqual(1.5, schedule.WarmupEndStep);
        AssertAt(schedule, 0, 0.25, 0.95);
        AssertAt(schedule, 1, 0.8125, 0.875);              // pct 2/3, cos(2pi/3) + 1 = 0.5: 1 - 0.75 / 2 * 0.5; 0.85 + 0.05 * 0.5
        AssertAt(schedule, 2, 0.99043957532104, 0.8510926199633096); // pct 0.5/7.5 = 1/15: 0.125 + 0.4375 (1 + cos(12 deg) = 1.97814760)
        AssertAt(schedule, 9, 0.125, 0.95);
    }

    [TestMethod]
    public void SteppingPastTotalStepsFails()
    {
        var schedule = new OneCycleSchedule(1e-3, 10);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => schedule.At(11));
        StringAssert.Contains(error.Message, "Tried to step 11 times; the one-cycle schedule has total_steps = 10");
    }

    [TestMethod]
    public void ZeroLengthWarmupIsRejectedUpFront()
    {
        // 0.01 x 100 - 1 = 0: PyTorch would divide 0 by 0 at the first step.
        var error = Assert.ThrowsExactly<ArgumentException>(() => new OneCycleSchedule(1e-3, 100, pctStart: 0.01));
        StringAssert.Contains(error.Message, "zero length");
    }

    [TestMethod]
    public void AnnealModeParsesFromYamlSpelling()
    {
        Assert.AreEqual(AnnealStrategy.Cos, OneCycleSchedule.ParseAnneal("cos"));
        Assert.AreEqual(AnnealStrategy.Linear, OneCycleSchedule.ParseAnneal("linear"));
        Assert.ThrowsExactly<ArgumentException>(() => OneCycleSchedule.ParseAnneal("cosine"));
    }

    [TestMethod]
    public void SchedulerSetsRateAndBeta1OnAdamWGroups()
    {
        using var p = new TorchSharp.Modules.Parameter(zeros(2));
        var optimizer = optim.AdamW([p], lr: 2e-4, beta1: 0.9, beta2: 0.99, weight_decay: 1e-4);
        var scheduler = new OneCycleLR(optimizer, new OneCycleSchedule(2e-4, 100, pctStart: 0.1, divFactor: 10, finalDivFactor: 1));
        var group = (optim.IBetas)optimizer.ParamGroups.Single();
        // Construction applies step 0: max / div and beta1 = max_momentum; beta2 is left alone.
        Assert.AreEqual(2e-5, scheduler.LastLearningRates[0], 1e-20);
        Assert.AreEqual((0.95, 0.99), group.Betas);
        for (int i = 0; i < 3; i++) scheduler.Step();
        Assert.AreEqual(3, scheduler.LastStep);
        Assert.AreEqual(6.5e-5, optimizer.ParamGroups.Single().LearningRate, 1e-18);
        Assert.AreEqual(0.925, group.Betas.Item1, 1e-12);
    }

    [TestMethod]
    public void FirstAdamWStepUsesMaxRateOverDivFactor()
    {
        // The reference builds AdamW(lr = 2e-4) and OneCycleLR(max_lr = 2e-4, div_factor = 10): the first update
        // is 2e-5 * (m / bc1) / (sqrt(v / bc2) + eps) = 2e-5 * 0.5 / (0.5 + 1e-8) for a gradient of 0.5.
        using var p = new TorchSharp.Modules.Parameter(ones(1));
        var optimizer = optim.AdamW([p], lr: 2e-4, beta1: 0.9, beta2: 0.99, weight_decay: 0);
        _ = new OneCycleLR(optimizer, new OneCycleSchedule(2e-4, 100, pctStart: 0.1, divFactor: 10, finalDivFactor: 1));
        (p * 0.5f).sum().backward();
        optimizer.step();
        Assert.AreEqual(1 - 2e-5, p.item<float>(), 1e-7);
    }

    [TestMethod]
    public void ResumingAtAStepRestoresThatStepsValues()
    {
        using var p = new TorchSharp.Modules.Parameter(zeros(2));
        var optimizer = optim.AdamW([p], lr: 1.0);
        var scheduler = new OneCycleLR(optimizer, new OneCycleSchedule(1.0, 10, pctStart: 0.25, divFactor: 4, finalDivFactor: 2), lastStep: 2);
        Assert.AreEqual(2, scheduler.LastStep);
        Assert.AreEqual(0.99043957532104, scheduler.LastLearningRates[0], 1e-12);
    }
}
