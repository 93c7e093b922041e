using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Tests.IO;

[TestClass]
public sealed class SafeTensorsTests
{
    [TestMethod]
    public void LoadsGoldenClipWithShapesOfFixturesJson()
    {
        var clip = Fixtures.Clip("tiny12", "short_24k.wav");
        var info = Fixtures.ClipInfo("tiny12", "short_24k.wav").GetProperty("tensors");
        foreach (var (name, tensor) in clip)
        {
            long[] expected = info.GetProperty(name).GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            CollectionAssert.AreEqual(expected, tensor.shape, name);
            if (tensor.dtype == float32)
                Assert.AreEqual(info.GetProperty(name).GetProperty("mean").GetDouble(), tensor.mean().item<float>(), 1e-5, name);
        }
    }
}
