using System.Text.Json;
using Kanade.IO;
using Kanade.Tests;
using Kanade.Training.Pipeline;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Pipeline;

/// <summary>The one-step fixtures of the reference (train_step*.safetensors, gan_step_after.safetensors, fixtures.json).</summary>
static class TrainStepFixtures
{
    /// <summary>The pipeline of a fixture training YAML with the fixture's full weights (and discriminator for tiny12).</summary>
    public static KanadeTrainingPipeline Pipeline(string set, string yaml = "train.yaml")
    {
        var pipeline = KanadeTrainingPipeline.FromConfig(Fixtures.Path(set, yaml));
        pipeline.LoadWeights(Fixtures.Path(set, "model_full.safetensors"));
        if (pipeline.Discriminator is not null) pipeline.LoadDiscriminatorWeights(Fixtures.Path(set, "discriminator.safetensors"));
        return pipeline;
    }

    /// <summary>The (2, 1, 34560) batch of the step.</summary>
    public static Tensor Batch(string set) => SafeTensors.Load(Fixtures.Path(set, "train_step.safetensors"))["batch"];

    public static JsonElement Figures(string set) =>
        Fixtures.Json.RootElement.GetProperty("clips").GetProperty(set).GetProperty("train_step");

    /// <summary>|actual - expected| within <paramref name="relative"/> of |expected|.</summary>
    public static void Relative(double expected, double actual, double relative, string what) =>
        Assert.AreEqual(expected, actual, relative * Math.Abs(expected), $"{what}: {actual} vs reference {expected}");

    /// <summary>
    /// Every tensor of <paramref name="file"/> named <c>after_step.PREFIX NAME</c> equals <paramref name="state"/>[NAME] within
    /// <paramref name="tolerance"/> absolute. Returns the largest difference seen and the number of tensors compared.
    /// </summary>
    public static (double MaxDiff, int Count) AssertAfterStep(Dictionary<string, Tensor> state, string file, string prefix, double tolerance)
    {
        var after = SafeTensors.Load(file);
        double worst = 0;
        int count = 0;
        foreach (var (key, expected) in after)
        {
            if (!key.StartsWith("after_step.", StringComparison.Ordinal)) continue;
            string name = key["after_step.".Length..];
            if (prefix.Length == 0 && name.StartsWith("discriminator.", StringComparison.Ordinal)) continue;
            if (prefix.Length > 0)
            {
                if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
                name = name[prefix.Length..];
            }
            Assert.IsTrue(state.ContainsKey(name), $"after_step tensor '{name}' has no counterpart");
            double diff = (state[name].to(float32) - expected.to(float32)).abs().max().item<float>();
            worst = Math.Max(worst, diff);
            count++;
            Assert.IsLessThanOrEqualTo(tolerance, diff, $"{name}: max |diff| {diff}");
        }
        return (worst, count);
    }
}
