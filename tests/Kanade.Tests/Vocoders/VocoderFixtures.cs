using Kanade.IO;
using Kanade.Vocoders;
using static TorchSharp.torch;

namespace Kanade.Tests.Vocoders;

/// <summary>The tiny fixture vocoders and the published architectures' manifests.</summary>
internal static class VocoderFixtures
{
    /// <summary>tiny12's Vocos, loaded from vocos_config.yaml and vocos.safetensors.</summary>
    public static Vocos TinyVocos()
    {
        var vocos = new Vocos(VocosConfig.Load(Fixtures.Path("tiny12", "vocos_config.yaml")));
        string weights = Fixtures.Path("tiny12", "vocos.safetensors");
        vocos.LoadWeights(WeightFile.Load(weights), weights);
        return vocos;
    }

    /// <summary>tiny25's HiFT, loaded from hift_config.json and hift.safetensors.</summary>
    public static HiftGenerator TinyHift()
    {
        var hift = new HiftGenerator(HiftOptions.Load(Fixtures.Path("tiny25", "hift_config.json")));
        string weights = Fixtures.Path("tiny25", "hift.safetensors");
        hift.LoadWeights(WeightFile.Load(weights), weights);
        return hift;
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
