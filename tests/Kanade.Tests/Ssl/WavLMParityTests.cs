using Kanade.Ssl;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

[TestClass]
public sealed class WavLMParityTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> SetsAndClips =>
        TinySsl.Sets.SelectMany(set => Fixtures.ClipFiles.Select(clip => new object[] { set, clip }));

    [TestMethod]
    [DynamicData(nameof(SetsAndClips))]
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
            double maxDiff = (actual - expected).abs().max().item<float>();
            report.Add($"layer {i + 1}: {maxDiff:E2}");
            TensorAssert.Close(actual, expected, TensorAssert.Shallow, $"{set}/{clip} ssl_layer_{i + 1}");
        }
        TestContext.WriteLine($"{set}/{clip} max |diff|: {string.Join(", ", report)}");
        foreach (var tensor in golden.Values) tensor.Dispose();
    }
}
