using Kanade.Tests;

namespace Kanade.Cli.Tests;

/// <summary>Exit codes (0 ok, 1 failed, 2 bad usage) and one-line errors naming the option or file.</summary>
[TestClass]
public sealed class UsageTests
{
    [TestMethod]
    public void HelpOnEveryCommandExitsZeroAndShowsUsage()
    {
        string[][] commands = [[], ["encode"], ["decode"], ["resynth"], ["vc"], ["tokenize"], ["dump-dataset"], ["export-safetensors"], ["info"],
            ["bench"], ["bench", "encode"], ["bench", "tokenize"], ["bench", "long-audio"]];
        foreach (var command in commands)
        {
            var result = CliHarness.Run([.. command, "--help"]).Expect(0);
            StringAssert.Contains(result.Out, "Usage:", string.Join(' ', command));
            StringAssert.Contains(result.Out, "kanade " + string.Join(' ', command), string.Join(' ', command));
        }
    }

    [TestMethod]
    public void NoCommandIsBadUsage() => CliHarness.Run().Expect(2);

    [TestMethod]
    public void UnknownOptionIsBadUsageNamingIt()
    {
        var result = CliHarness.Run(["info", .. CliHarness.Model, "--frobnicate"]).Expect(2);
        StringAssert.Contains(result.Error, "--frobnicate");
        StringAssert.Contains(result.Error, "kanade info --help");
    }

    [TestMethod]
    public void MissingRequiredOptionIsBadUsageNamingIt()
    {
        var result = CliHarness.Run("encode", Fixtures.Audio("short_24k.wav"), "--config", CliHarness.Config, "--weights", CliHarness.Weights).Expect(2);
        StringAssert.Contains(result.Error, "'--output' is required");
    }

    [TestMethod]
    public void DeviceThatIsNoDeviceIsBadUsage()
    {
        var result = CliHarness.Run(["encode", Fixtures.Audio("short_24k.wav"), .. CliHarness.Model, "-o", "x.json", "--device", "gpu0"]).Expect(2);
        StringAssert.Contains(result.Error, "--device 'gpu0' is not a device; expected cpu, cuda or cuda:N");
    }

    [TestMethod]
    public void SeveralDevicesWhereOneRunsIsBadUsage() =>
        CliHarness.Run(["encode", Fixtures.Audio("short_24k.wav"), .. CliHarness.Model, "-o", "x.json", "--device", "cpu,cuda:1"]).Expect(2);

    [TestMethod]
    public void OutputWithWrongExtensionIsBadUsage()
    {
        var result = CliHarness.Run(["encode", Fixtures.Audio("short_24k.wav"), .. CliHarness.Model, "-o", "features.txt"]).Expect(2);
        StringAssert.Contains(result.Error, "--output 'features.txt' must end with .safetensors or .json");
    }

    [TestMethod]
    public void ShardOutsideNumShardsIsBadUsage()
    {
        var result = CliHarness.Run(["tokenize", .. CliHarness.Model, "-i", Fixtures.Path("audio"), "-o", "out", "--num-shards", "2", "--shard", "2"]).Expect(2);
        StringAssert.Contains(result.Error, "--shard 2 is outside 0..1");
    }

    [TestMethod]
    public void WindowContextOfHalfTheWindowIsBadUsage() =>
        CliHarness.Run(["encode", Fixtures.Audio("short_24k.wav"), .. CliHarness.Model, "-o", "x.json", "--window-seconds", "10", "--window-context-seconds", "5"]).Expect(2);

    [TestMethod]
    public void WavOutputWithoutVocoderIsBadUsage()
    {
        var result = CliHarness.Run(["resynth", Fixtures.Audio("short_24k.wav"), "out.wav", .. CliHarness.Model]).Expect(2);
        StringAssert.Contains(result.Error, "--vocoder-weights");
    }

    [TestMethod]
    public void MissingInputFileFailsWithOneLineNamingIt()
    {
        var result = CliHarness.Run(["encode", "/nonexistent/speech.wav", .. CliHarness.Model, "-o", "x.json"]).Expect(1);
        Assert.AreEqual("kanade encode: error: FILE '/nonexistent/speech.wav' does not exist.", result.Error.Trim());
    }

    [TestMethod]
    public void UnreadableAudioFailsWithoutStackTraceUnlessVerbose()
    {
        using var folder = new TempDirectory();
        string bad = folder.File("noise.wav");
        File.WriteAllBytes(bad, new byte[500]);
        var quiet = CliHarness.Run(["encode", bad, .. CliHarness.Model, "-o", folder.File("x.json")]).Expect(1);
        Assert.AreEqual(1, quiet.Error.Trim().Split('\n').Length, quiet.Error);
        StringAssert.Contains(quiet.Error, bad);
        Assert.IsFalse(quiet.Error.Contains("   at "), quiet.Error);
        var verbose = CliHarness.Run(["encode", bad, .. CliHarness.Model, "-o", folder.File("x.json"), "--verbose"]).Expect(1);
        StringAssert.Contains(verbose.Error, "   at ");
    }
}
