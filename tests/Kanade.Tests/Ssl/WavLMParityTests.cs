using Kanade.Ssl;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

[TestClass]
public sealed class WavLMParityTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DynamicData(nameof(Fixtures.SetAndClipRows), typeof(Fixtures))]
    public void ExtractFeaturesMatchesTorchaudioLayers1To9(string set, string clip)
    {
        using var model = TinySsl.Load(set);
        var golden = Fixtures.Clip(set, clip);
        using var scope = NewDisposeScope();
        var (layers, lengths) = model.ExtractFeatures(golden["resampled_16k"].unsqueeze(0), numLayers: 9);

        Assert.HasCount(9, layers);
        Assert.IsNull(lengths);
        var report = new List<string>();
        for (int i = 0; i < 9; i++)
        {
            var expected = golden[$"ssl_layer_{i + 1}"];
            var actual = layers[i].squeeze(0);
            double maxDiff = TensorAssert.Close(actual, expected, TensorAssert.Shallow, $"{set}/{clip} ssl_layer_{i + 1}");
            report.Add($"layer {i + 1}: {maxDiff:E2}");
        }
        TestContext.WriteLine($"{set}/{clip} max |diff|: {string.Join(", ", report)}");
        foreach (var tensor in golden.Values) tensor.Dispose();
    }
}
