using System.Text.Json;
using Kanade.IO;

namespace Kanade.Tests.Model;

/// <summary>The shipped configs build exactly the tensors of the published checkpoints (manifests.json).</summary>
[TestClass]
public sealed class PublishedArchitectureTests
{
    [TestMethod]
    [DataRow("12hz")]
    [DataRow("25hz")]
    [DataRow("25hz_clean")]
    public void ConfigBuildsThePublishedStateDictAndExport(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("manifests.json")));
        var manifest = doc.RootElement.GetProperty(name);
        using var model = new KanadeModel(ModelConfigLoader.Load(Path.Combine(Fixtures.RepoRoot, "config", "model", name + ".yaml")));

        var state = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        AssertSameTensors(manifest.GetProperty("full_state_dict"), state, $"{name} full state dict");
        var export = model.WeightsToSave().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        AssertSameTensors(manifest.GetProperty("export"), export, $"{name} export");
        Assert.AreEqual(manifest.GetProperty("export_params").GetInt64(), export.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b)), $"{name} export parameters");
    }

    static void AssertSameTensors(JsonElement expected, Dictionary<string, long[]> actual, string what)
    {
        var names = expected.EnumerateObject().Select(p => p.Name).ToHashSet();
        var missing = names.Except(actual.Keys).ToArray();
        var extra = actual.Keys.Except(names).ToArray();
        Assert.IsEmpty(missing, $"{what}: missing {string.Join(", ", missing.Take(10))}");
        Assert.IsEmpty(extra, $"{what}: unexpected {string.Join(", ", extra.Take(10))}");
        foreach (var entry in expected.EnumerateObject())
        {
            long[] shape = entry.Value[0].EnumerateArray().Select(e => e.GetInt64()).ToArray();
            CollectionAssert.AreEqual(shape, actual[entry.Name], $"{what}: {entry.Name}");
        }
    }
}
