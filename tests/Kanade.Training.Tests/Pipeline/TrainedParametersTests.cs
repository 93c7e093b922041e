using Kanade.Training.Pipeline;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Pipeline;

/// <summary>The flat-buffer training state against TorchSharp's per-tensor clip_grad_norm_ and AdamW on twin modules.</summary>
[TestClass]
public sealed class TrainedParametersTests
{
    const double MaxNorm = 0.5;   // small enough that every step clips

    [TestMethod]
    public void FlatClipAndAdamWEqualThePerTensorPath()
    {
        var (flatModule, flatOptimizer) = Build();
        var (plainModule, plainOptimizer) = Build();
        // Buckets of at most 20 values: the 5 x 6 weight alone (larger), the first bias with the 3 x 5 weight, the last bias.
        var trained = new TrainedParameters(flatModule, null, flatOptimizer, bucketElements: 20);
        Assert.AreEqual(3, trained.BucketCount);

        for (int step = 0; step < 3; step++)
        {
            var input = Input(step);
            trained.ClearGradients();
            Loss(flatModule, input).backward();
            trained.CollectGradients();
            double flatNorm = trained.ClipAndStep(MaxNorm);

            plainOptimizer.zero_grad();
            Loss(plainModule, input).backward();
            double plainNorm = nn.utils.clip_grad_norm_(plainModule.parameters(), MaxNorm);
            plainOptimizer.step();

            Assert.AreEqual(plainNorm, flatNorm, 1e-5 * plainNorm, $"step {step}: gradient norm");
            Assert.IsGreaterThan(MaxNorm, plainNorm, $"step {step} must clip for this test to mean anything");
            AssertSameWeights(plainModule, flatModule, $"step {step}");
        }
        var flatState = ((OptimizerHelper)flatOptimizer).state_dict().State.Cast<AdamW.State>().ToArray();
        var plainState = ((OptimizerHelper)plainOptimizer).state_dict().State.Cast<AdamW.State>().ToArray();
        for (int i = 0; i < flatState.Length; i++)
        {
            Assert.AreEqual(plainState[i].step, flatState[i].step);
            Assert.IsLessThan(1e-7, (flatState[i].exp_avg_sq - plainState[i].exp_avg_sq).abs().max().item<float>(), $"exp_avg_sq of tensor {i}");
        }
    }

    [TestMethod]
    public void AParameterWithoutGradientIsSkippedAsAdamWSkipsIt()
    {
        var (flatModule, flatOptimizer) = Build();
        var (plainModule, plainOptimizer) = Build();
        var trained = new TrainedParameters(flatModule, null, flatOptimizer);

        // Step 0 uses only the first layer, so the second gets no gradient; step 1 uses both again, with unequal step counts.
        for (int step = 0; step < 2; step++)
        {
            var input = Input(step);
            bool both = step == 1;
            trained.ClearGradients();
            Loss(flatModule, input, both).backward();
            trained.CollectGradients();
            trained.ClipAndStep(MaxNorm);

            plainOptimizer.zero_grad();
            Loss(plainModule, input, both).backward();
            nn.utils.clip_grad_norm_(plainModule.parameters().Where(p => { using var g = p.grad; return g is not null; }), MaxNorm);
            plainOptimizer.step();
            AssertSameWeights(plainModule, flatModule, $"step {step}");
        }
        var steps = ((OptimizerHelper)flatOptimizer).state_dict().State.Cast<AdamW.State>().Select(s => s.step).ToArray();
        CollectionAssert.AreEqual(new long[] { 2, 2, 1, 1 }, steps);
    }

    [TestMethod]
    public void ParametersBecomeConsecutiveViewsOfOneBufferKeepingTheirValues()
    {
        var (module, optimizer) = Build();
        var before = module.parameters().Select(p => p.detach().clone()).ToArray();
        var trained = new TrainedParameters(module, null, optimizer);

        Assert.AreEqual(before.Sum(p => p.numel()), trained.Count);
        long offset = 0;
        foreach (var (parameter, value) in module.parameters().Zip(before))
        {
            Assert.AreEqual(0f, (parameter - value).abs().max().item<float>(), "flattening keeps every value");
            Assert.AreEqual(offset, parameter.storage_offset(), "each parameter starts where the previous one ends");
            offset += parameter.numel();
        }
    }

    static (Sequential Module, AdamW Optimizer) Build()
    {
        manual_seed(11);
        var module = nn.Sequential(nn.Linear(6, 5), nn.Linear(5, 3));
        var optimizer = (AdamW)optim.AdamW(module.parameters(), lr: 0.05, beta1: 0.8, beta2: 0.95, weight_decay: 0.1);
        return (module, optimizer);
    }

    static Tensor Input(int step)
    {
        manual_seed(100 + step);
        return randn(4, 6) * 3;
    }

    static Tensor Loss(Sequential module, Tensor input, bool both = true)
    {
        var hidden = ((nn.Module<Tensor, Tensor>)module[0]).call(input);
        return both ? ((nn.Module<Tensor, Tensor>)module[1]).call(hidden).square().mean() : hidden.square().mean();
    }

    static void AssertSameWeights(nn.Module expected, nn.Module actual, string what)
    {
        foreach (var ((name, e), (_, a)) in expected.named_parameters().Zip(actual.named_parameters()))
            Assert.IsLessThan(1e-6, (a - e).abs().max().item<float>(), $"{what}: {name}");
    }
}
