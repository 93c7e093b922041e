using Kanade.Ssl;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

[TestClass]
public sealed class KeyPaddingTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void MaskKeysSetsEveryPaddedKeyColumnOfTheRankOneLayoutAndNothingElse()
    {
        // WavLM's rank-one bias is a (B, H, T, T) view of (H, T, B, T) storage: the write must land in that storage.
        using var scope = NewDisposeScope();
        manual_seed(3);
        long[] frames = [3, 5, 0, 7];                                   // padded, full, all padded, longer than T
        var padding = KeyPadding.Create(frames, 5, ScalarType.Float32, CPU);
        var storage = randn(2, 5, 4, 5);                                 // (H, T, B, T)
        var bias = storage.permute(2, 0, 1, 3);                          // (B, H, T, T)
        var expected = bias.masked_fill(padding.IsPadding.view(4, 1, 1, 5), KeyPadding.PaddedKeyBias);

        padding.MaskKeys(bias);

        TensorAssert.Identical(bias, expected, "bias after MaskKeys");
        Assert.AreEqual(2 * 5 * (2 + 5), storage.eq(KeyPadding.PaddedKeyBias).sum().item<long>(), "values written: H x T x 7 padded pairs");
        TensorAssert.Close(padding.Bias.view(4, 5), tensor(new float[,] { { 0, 0, 0, -1e4f, -1e4f }, { 0, 0, 0, 0, 0 },
            { -1e4f, -1e4f, -1e4f, -1e4f, -1e4f }, { 0, 0, 0, 0, 0 } }), 0, "additive bias");
    }

    [TestMethod]
    public void MaskKeysRejectsABiasNotLaidOutAsTheRankOneProduct()
    {
        using var scope = NewDisposeScope();
        var padding = KeyPadding.Create([1, 2], 2, ScalarType.Float32, CPU);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => padding.MaskKeys(zeros(2, 3, 2, 2)));
        StringAssert.Contains(e.Message, "(H, T, B, T)");
    }

    [TestMethod]
    public void Bf16WavLMBatchWithPaddedKeysMaskedInItsBiasMatchesEachItemAlone()
    {
        // A bf16 batch writes the gated bias as a rank-one product and the padded keys into it (KeyPadding.MaskKeys);
        // an item alone keeps the broadcast bias. The real keys' bias is the same rounded product either way and padded
        // keys weigh exactly 0, so each item's valid queries agree up to the attention kernels' rounding. The padded
        // frames hold random values here, so a key left unmasked would show.
        using var scope = NewDisposeScope();
        manual_seed(5);
        var attention = new WavLMSelfAttention(32, 4, 320, 800, 0.0, hasRelativeAttentionBias: true);
        attention.eval();
        attention.to(Fixtures.Device);
        var x = randn(3, 9, 32, device: Fixtures.Device);
        long[] frames = [5, 9, 2];

        var (exact, _) = attention.call(x, KeyPadding.Create(frames, 9, ScalarType.Float32, Fixtures.Device), null);
        attention.to(ScalarType.BFloat16);
        var half = x.to(ScalarType.BFloat16);
        var (batched, _) = attention.call(half, KeyPadding.Create(frames, 9, ScalarType.BFloat16, Fixtures.Device), null);

        double scale = exact.abs().max().item<float>();
        for (int item = 0; item < 3; item++)
        {
            var valid = ..(int)frames[item];
            var (alone, _) = attention.call(half[item, valid].unsqueeze(0), null, null);
            var reference = exact[item, valid];
            double aloneError = TensorAssert.MaxDiff(alone[0], reference) / scale;
            double batchedError = TensorAssert.MaxDiff(batched[item, valid], reference) / scale;
            double between = TensorAssert.MaxDiff(batched[item, valid], alone[0]) / scale;
            TestContext.WriteLine($"item {item + 1}: {aloneError:E2} alone, {batchedError:E2} batched, {between:E2} between");
            Assert.IsLessThan(0.05, aloneError, $"item {item + 1}: bf16 alone vs float32");
            Assert.IsLessThan(0.05, batchedError, $"item {item + 1}: bf16 batch vs float32");
            Assert.IsLessThanOrEqualTo(0.02, between, $"item {item + 1}: bf16 batch vs alone");
        }
    }
}
