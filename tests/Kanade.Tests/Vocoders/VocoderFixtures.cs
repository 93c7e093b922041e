using Kanade.IO;
using Kanade.Vocoders;
using static TorchSharp.torch;

namespace Kanade.Tests.Vocoders;

/// <summary>The tiny fixture vocoders and the published architectures' manifests.</summary>
internal static class VocoderFixtures
{
    /// <summary>Every fixture clip, as MSTest <c>DynamicData</c> rows.</summary>
    public static IEnumerable<object[]> Clips => Fixtures.ClipFiles.Select(c => new object[] { c });

    /// <summary>tiny12's vocos_config.yaml, loaded.</summary>
    public static VocosConfig TinyVocosConfig() => VocosConfig.Load(Fixtures.Path("tiny12", "vocos_config.yaml"));
    /// <summary>tiny12's vocos.safetensors.</summary>
    public static string TinyVocosWeights => Fixtures.Path("tiny12", "vocos.safetensors");
    /// <summary>tiny25's hift_config.json, loaded.</summary>
    public static HiftOptions TinyHiftOptions() => HiftOptions.Load(Fixtures.Path("tiny25", "hift_config.json"));
    /// <summary>tiny25's hift.safetensors.</summary>
    public static string TinyHiftWeights => Fixtures.Path("tiny25", "hift.safetensors");

    /// <summary>tiny12's Vocos, loaded from vocos_config.yaml and vocos.safetensors.</summary>
    public static Vocos TinyVocos()
    {
        var vocos = new Vocos(TinyVocosConfig());
        vocos.LoadWeights(WeightFile.Load(TinyVocosWeights), TinyVocosWeights);
        return vocos;
    }

    /// <summary>tiny25's HiFT, loaded from hift_config.json and hift.safetensors.</summary>
    public static HiftGenerator TinyHift()
    {
        var hift = new HiftGenerator(TinyHiftOptions());
        hift.LoadWeights(WeightFile.Load(TinyHiftWeights), TinyHiftWeights);
        return hift;
    }

    /// <summary>Logs max |actual - expected| and asserts it is within <see cref="TensorAssert.Deep"/>.</summary>
    public static void AssertMatchesReference(TestContext context, Tensor actual, Tensor expected, string what)
    {
        context.WriteLine($"{what}: max |diff| = {MaxDiff(actual, expected):G3}");
        TensorAssert.Close(actual, expected, TensorAssert.Deep, what);
    }

    /// <summary>Name -> shape of one architecture in manifests.json (e.g. <c>vocos_mel_24khz</c>).</summary>
    public static Dictionary<string, long[]> Manifest(string key)
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixtures.Path("manifests.json")));
        return json.RootElement.GetProperty(key).EnumerateObject().ToDictionary(
            e => e.Name, e => e.Value[0].EnumerateArray().Select(d => d.GetInt64()).ToArray());
    }

    /// <summary>Asserts two name -> shape maps are equal, listing the differences.</summary>
    public static void AssertSameShapes(IReadOnlyDictionary<string, long[]> expected, IReadOnlyDictionary<string, long[]> actual, string what)
    {
        var missing = expected.Keys.Except(actual.Keys).ToList();
        var extra = actual.Keys.Except(expected.Keys).ToList();
        var misshaped = expected.Keys.Intersect(actual.Keys).Where(k => !expected[k].SequenceEqual(actual[k]))
            .Select(k => $"{k}: [{string.Join(", ", actual[k])}] vs [{string.Join(", ", expected[k])}]").ToList();
        Assert.IsTrue(missing.Count == 0 && extra.Count == 0 && misshaped.Count == 0,
            $"{what}: missing {string.Join(", ", missing)}; unexpected {string.Join(", ", extra)}; mis-shaped {string.Join("; ", misshaped)}");
    }

    /// <summary>max |a - b| in float64.</summary>
    public static double MaxDiff(Tensor a, Tensor b)
    {
        using var d = (a.cpu().to(float64) - b.cpu().to(float64)).abs().max();
        return d.item<double>();
    }
}
