using Kanade.Training.Pipeline;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Pipeline;

[TestClass]
public sealed class TrainingRandomTests
{
    [TestMethod]
    public void RestoredCpuStateDrawsTheSameNumbers()
    {
        TrainingRandom.SeedEverything(42);
        rand(5).Dispose();
        byte[] state = TrainingRandom.CpuState();
        float[] first = rand(3).data<float>().ToArray();
        rand(100).Dispose();

        TrainingRandom.RestoreCpuState(state);
        float[] again = rand(3).data<float>().ToArray();

        CollectionAssert.AreEqual(first, again);
    }
}
