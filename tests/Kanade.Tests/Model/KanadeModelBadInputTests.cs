using static TorchSharp.torch;

namespace Kanade.Tests.Model;

[TestClass]
public sealed class KanadeModelBadInputTests
{
    static KanadeModel Model => TinyModels.Get("tiny12");

    [TestMethod]
    public void EmptyWaveformIsRefusedWithTheMinimum()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Model.Encode(zeros(0)));
        StringAssert.Contains(error.Message, $"at least {Model.MinimumSamples}");
    }

    [TestMethod]
    public void MinimumLengthIsExactlyWhatOneTokenNeeds()
    {
        // 12.5 Hz: 4 SSL frames; 3 hops of 320 at 16 kHz = 1440 samples at 24 kHz, plus one.
        Assert.AreEqual(1441L, Model.MinimumSamples);
        Assert.ThrowsExactly<ArgumentException>(() => Model.Encode(randn(1440)));
        using var features = Model.Encode(randn(1441));
        Assert.AreEqual(1L, features.ContentTokenIndices!.shape[0]);
    }

    [TestMethod]
    public void NonFiniteSamplesAreRefused()
    {
        var wave = randn(4800);
        wave[100] = tensor(float.NaN);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Model.Encode(wave)).Message, "NaN or infinite");
        wave[100] = tensor(float.PositiveInfinity);
        Assert.ThrowsExactly<ArgumentException>(() => Model.Encode(wave));
    }

    [TestMethod]
    public void TwoDimensionalWaveformIsRefused()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Model.Encode(randn(2, 4800)));
        StringAssert.Contains(error.Message, "(2, 4800)");
    }

    [TestMethod]
    public void TokenIdsOutsideTheVocabularyAreRefused()
    {
        var global = zeros(16);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Model.Decode(global, tensor(new long[] { 5, 12800 })));
        StringAssert.Contains(error.Message, "[0, 12800)");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Model.Decode(global, tensor(new long[] { -1 })));
    }

    [TestMethod]
    public void GlobalEmbeddingOfTheWrongSizeIsRefused()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Model.Decode(zeros(128), tensor(new long[] { 1, 2, 3 })));
        StringAssert.Contains(error.Message, "(16,)");
        StringAssert.Contains(error.Message, "(128)");
    }

    [TestMethod]
    public void DecodeNeedsTokensOrEmbedding()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Model.Decode(zeros(16)));
        Assert.ThrowsExactly<ArgumentException>(() => Model.Decode(zeros(16), contentEmbedding: zeros(3, 32)));
    }
}
