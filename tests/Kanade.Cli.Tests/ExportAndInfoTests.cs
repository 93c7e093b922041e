using Kanade.IO;
using Kanade.Tests;

namespace Kanade.Cli.Tests;

/// <summary><c>export-safetensors</c> writes what the reference's export writes; <c>info</c> reports the published figures.</summary>
[TestClass]
public sealed class ExportAndInfoTests
{
    [TestMethod]
    public void ExportOfTheFullStateDictEqualsTheReferencesExport()
    {
        using var folder = new TempDirectory();
        string output = folder.File("export.safetensors");
        CliHarness.Run("export-safetensors", CliHarness.Weights, "--config", CliHarness.Config, "-o", output).Expect(0);
        var written = SafeTensors.Load(output);
        var reference = SafeTensors.Load(Fixtures.Path("tiny12", "model.safetensors"));
        CollectionAssert.AreEquivalent(reference.Keys.ToList(), written.Keys.ToList());
        foreach (var (name, tensor) in reference) TensorAssert.Identical(written[name], tensor, name);
    }

    [TestMethod]
    public void ExportOfAFitCheckpointEqualsTheReferencesExport()
    {
        using var folder = new TempDirectory();
        string checkpoint = folder.File("last.safetensors"), output = folder.File("export.safetensors");
        using (var pipeline = Kanade.Training.Pipeline.KanadeTrainingPipeline.FromConfig(Fixtures.Path("tiny12", "train.yaml")))
        {
            pipeline.LoadWeights(CliHarness.Weights);
            pipeline.SaveCheckpoint(checkpoint); // model, discriminator and optimiser state, as kanade fit writes them
        }
        CliHarness.Run("export-safetensors", checkpoint, "--config", CliHarness.Config, "-o", output).Expect(0);
        var written = SafeTensors.Load(output);
        var reference = SafeTensors.Load(Fixtures.Path("tiny12", "model.safetensors"));
        CollectionAssert.AreEquivalent(reference.Keys.ToList(), written.Keys.ToList());
        foreach (var (name, tensor) in reference) TensorAssert.Identical(written[name], tensor, name);
    }

    [TestMethod]
    public void IncludedModulesAreExportedToo()
    {
        using var folder = new TempDirectory();
        string output = folder.File("export.safetensors");
        CliHarness.Run("export-safetensors", CliHarness.Weights, "--config", CliHarness.Config, "--include-modules", "feature_decoder", "conv_upsample", "-o", output).Expect(0);
        var names = SafeTensors.Load(output).Keys.ToList();
        Assert.IsTrue(names.Any(n => n.StartsWith("feature_decoder.")), "feature_decoder exported");
        Assert.IsTrue(names.Any(n => n.StartsWith("conv_upsample.")), "conv_upsample exported");
        Assert.IsFalse(names.Any(n => n.StartsWith("ssl_feature_extractor.")), "SSL left out");
    }

    [TestMethod]
    public void PrefixedStateDictLosesItsModelPrefix()
    {
        using var folder = new TempDirectory();
        string prefixed = folder.File("pipeline.safetensors"), output = folder.File("export.safetensors");
        SafeTensors.Save(prefixed, SafeTensors.Load(CliHarness.Weights).ToDictionary(e => "model." + e.Key, e => e.Value));
        CliHarness.Run("export-safetensors", prefixed, "--config", CliHarness.Config, "-o", output).Expect(0);
        CollectionAssert.AreEquivalent(SafeTensors.Load(Fixtures.Path("tiny12", "model.safetensors")).Keys.ToList(), SafeTensors.Load(output).Keys.ToList());
    }

    [TestMethod]
    public void FeatureDecoderWithoutConvUpsampleIsBadUsage()
    {
        using var folder = new TempDirectory();
        var result = CliHarness.Run("export-safetensors", CliHarness.Weights, "--config", CliHarness.Config, "--include-modules", "feature_decoder", "-o", folder.File("x.safetensors")).Expect(2);
        StringAssert.Contains(result.Error, "conv_upsample");
    }

    [TestMethod]
    public void LightningCheckpointOfAnotherModelFailsNamingItsTensors()
    {
        // tests/Kanade.Tests/Data/checkpoints/lightning.ckpt: model.encoder.weight, model._orig_mod.decoder.bias, discriminator.*
        string checkpoint = Path.Combine(Fixtures.RepoRoot, "tests", "Kanade.Tests", "Data", "checkpoints", "lightning.ckpt");
        using var folder = new TempDirectory();
        var result = CliHarness.Run("export-safetensors", checkpoint, "--config", CliHarness.Config, "-o", folder.File("x.safetensors")).Expect(1);
        StringAssert.Contains(result.Error, "unexpected: encoder.weight");
        StringAssert.Contains(result.Error, "unexpected: decoder.bias");
        Assert.IsFalse(result.Error.Contains("discriminator"), "only the model.* tensors are read");
    }

    [TestMethod]
    public void InfoReportsThePublished12HzFigures()
    {
        var result = CliHarness.Run("info", "--config", Path.Combine(Fixtures.RepoRoot, "config", "model", "12hz.yaml")).Expect(0);
        StringAssert.Contains(result.Out, "token rate:      12.5 tokens/s");
        StringAssert.Contains(result.Out, "vocabulary:      12800 (FSQ levels 8,8,8,5,5)");
        StringAssert.Contains(result.Out, "bit rate:        170.5 bit/s");                       // 12.5 x log2(12800)
        StringAssert.Contains(result.Out, "SSL layers:      local [6, 9], global [1, 2]");
        StringAssert.Contains(result.Out, "119,947,157");                                        // manifests.json: 12hz exports
        StringAssert.Contains(result.Out, "vocoder:         vocos");
    }

    [TestMethod]
    public void InfoChecksAnExportWithoutSslWeights()
    {
        var result = CliHarness.Run("info", "--config", CliHarness.Config, "--weights", Fixtures.Path("tiny12", "model.safetensors")).Expect(0);
        StringAssert.Contains(result.Out, "loads strictly (132 tensors; no SSL weights");
    }
}
