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
        using var model = new KanadeModel(ModelConfigLoader.Load(Path.Combine(Fixtures.RepoRoot, "config", "model", name + ".yaml")));

        var state = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        TensorAssert.SameShapes(Fixtures.ManifestShapes(name, "full_state_dict"), state, $"{name} full state dict");
        var export = model.WeightsToSave().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        TensorAssert.SameShapes(Fixtures.ManifestShapes(name, "export"), export, $"{name} export");
        long exportParams = Fixtures.Manifests.RootElement.GetProperty(name).GetProperty("export_params").GetInt64();
        Assert.AreEqual(exportParams, export.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b)), $"{name} export parameters");
    }
}
