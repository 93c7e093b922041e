using Kanade.Tests;
using Kanade.Training.Config;
using Kanade.Training.Fit;
using Kanade.Training.Pipeline;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Kanade.Training.Tests.Fit;

[TestClass]
public sealed class TrainingBenchmarkTests
{
    [TestMethod]
    public void BenchmarkTimesStepsOnSyntheticBatchesWithoutSslWeights()
    {
        var config = TrainingConfigLoader.Load(Fixtures.Path("tiny12", "train_gan.yaml"));

        var result = TrainingBenchmark.Run(config, new TrainingPipelineOptions(), batchSize: 2, steps: 2, warmupSteps: 1);

        Assert.HasCount(3, result.Losses);
        Assert.IsTrue(result.Losses.All(double.IsFinite));
        Assert.AreEqual((2, 34560, 2), (result.BatchSize, result.AudioLength, result.Steps));
        Assert.IsGreaterThan(0.0, result.SamplesPerSecond);
        Assert.IsNull(result.PeakMemoryMiB, "no GPU memory on the CPU");
        StringAssert.StartsWith(result.ToString(), "cpu Float32: batch 2 x 34560 samples");
    }
}
