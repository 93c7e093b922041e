using Kanade.IO;
using Kanade.Tests;
using Kanade.Training.Pipeline;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Pipeline;

[TestClass]
public sealed class ExportTests
{
    [TestMethod]
    public void ExportOfAFullStateDictEqualsTheReferencesExport()
    {
        // tiny12/model.safetensors is what the reference's export_safetensors.py wrote for model_full.safetensors.
        string output = Path.Combine(Path.GetTempPath(), $"kanade-export-{Guid.NewGuid():N}.safetensors");
        try
        {
            KanadeTrainingPipeline.ExportWeights(Fixtures.Path("tiny12", "train.yaml"), Fixtures.Path("tiny12", "model_full.safetensors"), output);

            var expected = SafeTensors.Load(Fixtures.Path("tiny12", "model.safetensors"));
            var actual = SafeTensors.Load(output);
            CollectionAssert.AreEquivalent(expected.Keys.ToArray(), actual.Keys.ToArray());
            foreach (var (name, tensor) in expected)
                Assert.IsTrue(tensor.equal(actual[name]).all().item<bool>(), name);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
