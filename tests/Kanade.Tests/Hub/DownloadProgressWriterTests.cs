using Kanade.IO.Hub;

namespace Kanade.Tests.Hub;

[TestClass]
public sealed class DownloadProgressWriterTests
{
    [TestMethod]
    public void KnownSize_WritesOneLinePerTenthAndTheEnd()
    {
        var text = new StringWriter { NewLine = "\n" };
        var progress = new DownloadProgressWriter(text, "org/name/model.safetensors");

        foreach (long done in new long[] { 0, 50_000_000, 55_000_000, 150_000_000, 200_000_000, 200_000_000 })
            progress.Report((done, 200_000_000));

        Assert.AreEqual(
            "Downloading org/name/model.safetensors: 0% (0.0 of 200.0 MB)\n" +
            "Downloading org/name/model.safetensors: 25% (50.0 of 200.0 MB)\n" +
            "Downloading org/name/model.safetensors: 75% (150.0 of 200.0 MB)\n" +
            "Downloading org/name/model.safetensors: 100% (200.0 of 200.0 MB)\n",
            text.ToString());
    }

    [TestMethod]
    public void UnknownSize_WritesEveryHundredMegabytes()
    {
        var text = new StringWriter { NewLine = "\n" };
        var progress = new DownloadProgressWriter(text, "x.pth");

        foreach (long done in new long[] { 0, 10L << 20, 100L << 20, 150L << 20 })
            progress.Report((done, -1));

        Assert.AreEqual("Downloading x.pth: 0.0 MB\nDownloading x.pth: 104.9 MB\n", text.ToString());
    }
}
