using Kanade.Ssl;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

[TestClass]
public sealed class RelativePositionBucketsTests
{
    [TestMethod]
    public void WavLMBaseBucketsMatchHandComputedValues()
    {
        // 320 buckets, max distance 800: 160 per direction (keys after the query add 160), exact below 80,
        // then 80 + floor(ln(d / 80) / ln(10) * 80), capped at 159.
        var buckets = new RelativePositionBuckets(320, 800);
        long frames = 1001;
        var table = buckets.ForLength(frames, CPU).data<long>().ToArray();
        long At(long relative) => table[relative + frames - 1];

        Assert.AreEqual(0L, At(0));
        Assert.AreEqual(161L, At(1));
        Assert.AreEqual(1L, At(-1));
        Assert.AreEqual(160L + 79, At(79));
        Assert.AreEqual(160L + 80, At(80));
        Assert.AreEqual(87L, At(-100));          // ln(1.25) / ln(10) * 80 = 7.75
        Assert.AreEqual(159L, At(-799));         // 80 + floor(79.96)
        Assert.AreEqual(160L + 159, At(800));    // capped
        Assert.AreEqual(159L, At(-1000));
    }

    [TestMethod]
    public void ShorterLengthAfterLongerReusesTheTableWithSameValues()
    {
        var cached = new RelativePositionBuckets(32, 100);
        _ = cached.ForLength(300, CPU);
        var reused = cached.ForLength(40, CPU);
        var fresh = new RelativePositionBuckets(32, 100).ForLength(40, CPU);

        Assert.AreEqual(79L, reused.shape[0]);
        Assert.IsTrue(reused.Equals(fresh));
    }
}
