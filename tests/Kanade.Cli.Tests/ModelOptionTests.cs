using Kanade.IO;
using Kanade.Tests;

namespace Kanade.Cli.Tests;

/// <summary><c>--model</c>: a published model by hub id or a model folder, instead of --config/--weights.</summary>
[TestClass]
public sealed class ModelOptionTests
{
    [TestMethod]
    public void ModelFolderEncodesLikeConfigAndWeights()
    {
        using var folder = new TempDirectory();
        string model = folder.File("tiny");
        Directory.CreateDirectory(model);
        File.Copy(CliHarness.Config, Path.Combine(model, "config.yaml"));
        File.Copy(CliHarness.Weights, Path.Combine(model, "model.safetensors"));
        string byFolder = folder.File("a.safetensors"), byFiles = folder.File("b.safetensors");
        CliHarness.Run(["encode", Fixtures.Audio("short_24k.wav"), "--model", model, "-o", byFolder]).Expect(0);
        CliHarness.Run(["encode", Fixtures.Audio("short_24k.wav"), .. CliHarness.Model, "-o", byFiles]).Expect(0);
        TensorAssert.Identical(SafeTensors.Load(byFolder)["global_embedding"], SafeTensors.Load(byFiles)["global_embedding"], "global embedding");
    }

    [TestMethod]
    public void OfflineHubIdFailsWithWhereToPutTheFile()
    {
        using var folder = new TempDirectory();
        using var variables = new EnvironmentScope(new Dictionary<string, string?>
        {
            ["HF_HUB_OFFLINE"] = "1", ["HF_HOME"] = folder.Path, ["HF_HUB_CACHE"] = null,
        });
        var result = CliHarness.Run(["encode", Fixtures.Audio("short_24k.wav"), "--model", "frothywater/kanade-12.5hz", "-o", folder.File("x.json")]).Expect(1);
        StringAssert.Contains(result.Error, "offline mode is on");
        StringAssert.Contains(result.Error, "https://huggingface.co/frothywater/kanade-12.5hz/resolve/main/config.yaml");
        StringAssert.Contains(result.Error, Path.Combine(folder.Path, "hub", "models--frothywater--kanade-12.5hz"));
        Assert.DoesNotContain("   at ", result.Error, "no stack trace without --verbose");
    }

    [TestMethod]
    public void ModelAndConfigTogetherIsBadUsage()
    {
        var result = CliHarness.Run(["encode", Fixtures.Audio("short_24k.wav"), "--model", "x/y", .. CliHarness.Model, "-o", "/tmp/never.json"]).Expect(2);
        StringAssert.Contains(result.Error, "either --model or --config");
    }

    [TestMethod]
    public void NoModelAtAllIsBadUsage()
    {
        var result = CliHarness.Run(["encode", Fixtures.Audio("short_24k.wav"), "-o", "/tmp/never.json"]).Expect(2);
        StringAssert.Contains(result.Error, "--model ID");
    }
}
