using Kanade.Training.Checkpoints;
using Kanade.Training.Config;
using Kanade.Training.Fit;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Kanade.Training.Tests.Checkpoints;

[TestClass]
public sealed class CheckpointKeeperTests
{
    static string TempDirectory() => Path.Combine(Path.GetTempPath(), "kanade-keeper-" + Guid.NewGuid().ToString("N"));

    static void Write(string path) => File.WriteAllText(path, path);

    static Dictionary<string, double> Values(long step, double? loss = null)
    {
        var values = new Dictionary<string, double> { ["epoch"] = 0, ["step"] = step };
        if (loss is double l) values["val/gen/mel_l1"] = l;
        return values;
    }

    static string[] Files(string directory) => [.. Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [TestMethod]
    public void MonitoredTopKKeepsTheBestAndLast()
    {
        string directory = TempDirectory();
        var keeper = new CheckpointKeeper(new ModelCheckpointCallback
        {
            Filename = "step={step}-loss={val/gen/mel_l1:.4f}", AutoInsertMetricName = false, Monitor = "val/gen/mel_l1", SaveTopK = 2, SaveLast = true,
        }, directory);

        keeper.Save(Values(100, 3.0), Write);
        keeper.Save(Values(200, 1.0), Write);
        keeper.Save(Values(300, 2.0), Write);
        var written = keeper.Save(Values(400, 5.0), Write);

        CollectionAssert.AreEqual(new[] { "last.safetensors", "step=200-loss=1.0000.safetensors", "step=300-loss=2.0000.safetensors" }, Files(directory));
        CollectionAssert.AreEqual(new[] { keeper.LastPath }, written.ToArray(), "a worse checkpoint only refreshes last");
        Assert.AreEqual(Path.Combine(directory, "step=200-loss=1.0000.safetensors"), keeper.BestPath);
        Assert.AreEqual(keeper.LastPath, File.ReadAllText(keeper.LastPath), "last was written for step 400");
    }

    [TestMethod]
    public void WritesIntoTheDirectoryItIsGivenNotTheUnresolvedDirpath()
    {
        // KanadeTrainer resolves a relative dirpath against FitOptions.BaseDirectory and passes the result.
        string directory = TempDirectory();
        var keeper = new CheckpointKeeper(new ModelCheckpointCallback { Dirpath = "checkpoints-relative", SaveLast = true }, directory);
        keeper.Save(Values(7), Write);
        Assert.AreEqual(directory, keeper.Directory);
        CollectionAssert.AreEqual(new[] { "epoch=0-step=7.safetensors", "last.safetensors" }, Files(directory));
    }

    [TestMethod]
    public void MaxModeRanksUpward()
    {
        string directory = TempDirectory();
        var keeper = new CheckpointKeeper(new ModelCheckpointCallback { Monitor = "val/gen/mel_l1", Mode = "max", SaveTopK = 1 }, directory);
        keeper.Save(Values(1, 1.0), Write);
        keeper.Save(Values(2, 2.0), Write);
        keeper.Save(Values(3, 0.5), Write);
        CollectionAssert.AreEqual(new[] { "epoch=0-step=2.safetensors" }, Files(directory));
    }

    [TestMethod]
    public void WithoutMonitorTheLatestReplacesThePrevious()
    {
        string directory = TempDirectory();
        var keeper = new CheckpointKeeper(new ModelCheckpointCallback { EveryNTrainSteps = 5 }, directory);
        Assert.IsTrue(keeper.DueAfterStep(10));
        Assert.IsFalse(keeper.DueAfterStep(12));
        Assert.IsFalse(keeper.DueAfterValidation);
        keeper.Save(Values(5), Write);
        keeper.Save(Values(10), Write);
        CollectionAssert.AreEqual(new[] { "epoch=0-step=10.safetensors" }, Files(directory));
    }

    [TestMethod]
    public void MonitoredMetricNotLoggedYetWritesOnlyLast()
    {
        string directory = TempDirectory();
        var keeper = new CheckpointKeeper(new ModelCheckpointCallback { Monitor = "val/gen/mel_l1", SaveLast = true, EveryNTrainSteps = 10 }, directory);
        keeper.Save(Values(10), Write);
        CollectionAssert.AreEqual(new[] { "last.safetensors" }, Files(directory));
    }

    [TestMethod]
    public void TopKWithoutMonitorIsRefusedAsLightningDoes()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new CheckpointKeeper(new ModelCheckpointCallback { SaveTopK = 3 }, TempDirectory()));
        StringAssert.Contains(error.Message, "save_top_k = 3 needs a monitor");
    }

    [TestMethod]
    [DataRow("{epoch}-{step}", true, "epoch=2-step=300")]
    [DataRow("step={step}-loss={val/gen/mel_l1:.4f}", false, "step=300-loss=1.2346")]
    [DataRow("{step:06d}", true, "step=000300")]
    [DataRow("{val/gen/mel_l1:.2e}", false, "1.23e+00")]
    [DataRow("{val/loss}", true, "val_loss=nan")]
    public void FileNamesFollowLightningTemplates(string template, bool autoInsert, string expected)
    {
        var values = new Dictionary<string, double> { ["epoch"] = 2, ["step"] = 300, ["val/gen/mel_l1"] = 1.234567 };
        Assert.AreEqual(expected, CheckpointNames.Format(template, values, autoInsert));
    }
}
