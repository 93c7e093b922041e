using Kanade.Ssl;

namespace Kanade.Tests.Ssl;

[TestClass]
public sealed class SslFrameArithmeticTests
{
    static readonly IReadOnlyList<ConvLayerSpec> Default = SslFrameArithmetic.DefaultConvLayers;

    [TestMethod]
    public void HopSizeIsTheProductOfStrides()
    {
        // 5 * 2^6
        Assert.AreEqual(320, SslFrameArithmetic.HopSize(Default));
    }

    [TestMethod]
    public void OneFrameNeeds400Samples()
    {
        // Backwards: (2,2): 2; (2,2): 1*2+2 = 4; (3,2): 3*2+3 = 9, 19, 39, 79; (10,5): 78*5+10 = 400.
        Assert.AreEqual(400L, SslFrameArithmetic.MinimumInputLength(Default, 1));
    }

    [TestMethod]
    public void EachFurtherFrameNeedsOneHop()
    {
        Assert.AreEqual(720L, SslFrameArithmetic.MinimumInputLength(Default, 2));
        // The fixture clip espeak_24bit_44k: 62,160 samples at 16 kHz give 194 frames exactly.
        Assert.AreEqual(62_160L, SslFrameArithmetic.MinimumInputLength(Default, 194));
    }

    [TestMethod]
    public void MinimumInputLengthRejectsZeroFrames()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SslFrameArithmetic.MinimumInputLength(Default, 0));
    }

    [TestMethod]
    public void OutputFramesFollowTheValidConvolutionRule()
    {
        Assert.AreEqual(0L, SslFrameArithmetic.OutputFrames(Default, 0));
        Assert.AreEqual(0L, SslFrameArithmetic.OutputFrames(Default, 399));
        Assert.AreEqual(1L, SslFrameArithmetic.OutputFrames(Default, 400));
        Assert.AreEqual(1L, SslFrameArithmetic.OutputFrames(Default, 719));
        Assert.AreEqual(2L, SslFrameArithmetic.OutputFrames(Default, 720));
        // short_24k: 4,241 samples at 16 kHz -> floor((4241 - 400) / 320) + 1 = 13 frames (the fixture's ssl_layer_* length).
        Assert.AreEqual(13L, SslFrameArithmetic.OutputFrames(Default, 4241));
    }

    [TestMethod]
    public void MinimumInputLengthIsTheInverseOfOutputFrames()
    {
        for (long frames = 1; frames <= 300; frames++)
        {
            long samples = SslFrameArithmetic.MinimumInputLength(Default, frames);
            Assert.AreEqual(frames, SslFrameArithmetic.OutputFrames(Default, samples), $"{frames} frames");
            Assert.AreEqual(frames - 1, SslFrameArithmetic.OutputFrames(Default, samples - 1), $"{frames} frames, one sample short");
        }
    }

    [TestMethod]
    public void TinyFixtureExtractorHasTheDefaultGeometry()
    {
        var layers = SslFrameArithmetic.ConvLayers(TinySsl.Architecture("tiny12"));
        CollectionAssert.AreEqual(Default.Select(l => (l.Kernel, l.Stride)).ToArray(), layers.Select(l => (l.Kernel, l.Stride)).ToArray());
        Assert.AreEqual(32, layers[^1].Channels);
    }

    [TestMethod]
    public void ModelExposesTheSameArithmetic()
    {
        using var model = TinySsl.Load("tiny12");
        Assert.AreEqual(320, model.HopSize);
        Assert.AreEqual(400L, model.GetMinimumInputLength(1));
        Assert.AreEqual(13L, model.GetOutputFrames(4241));
    }
}
