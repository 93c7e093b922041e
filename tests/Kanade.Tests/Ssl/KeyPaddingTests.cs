using Kanade.Ssl;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

[TestClass]
public sealed class KeyPaddingTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void MaskKeysSetsEveryPaddedKeyColumnAndNothingElse()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        long[] frames = [3, 5, 0, 7];                                   // padded, full, all padded, longer than T
        var padding = KeyPadding.Create(tensor(frames), 5, ScalarType.Float32, frames);
        var bias = randn(4, 2, 5, 5);
        var expected = bias.masked_fill(padding.IsPadding.view(4, 1, 1, 5), KeyPadding.PaddedKeyBias);

        Assert.IsTrue(padding.CanMaskKeys);
        padding.MaskKeys(bias);

        TensorAssert.Identical(bias, expected, "bias after MaskKeys");
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0f, -10000f, -10000f }, padding.Bias[0, 0, 0].data<float>().ToArray(), "additive bias of item 1");
    }

    [TestMethod]
    public void MaskKeysWritesThroughAStridedView()
    {
        // WavLM's rank-one bias is a (B, H, T, T) view of (H, T, B, T) storage: the write must land in that storage.
        using var scope = NewDisposeScope();
        long[] frames = [2, 4];
        var padding = KeyPadding.Create(tensor(frames), 4, ScalarType.Float32, frames);
        var storage = zeros(3, 4, 2, 4);                                 // (H, T, B, T)
        var view = storage.permute(2, 0, 1, 3);                          // (B, H, T, T)

        padding.MaskKeys(view);

        Assert.AreEqual(3 * 4 * 2, storage.eq(KeyPadding.PaddedKeyBias).sum().item<long>(), "written values: H x T x the two padded keys of item 1");
        Assert.AreEqual(KeyPadding.PaddedKeyBias, storage[2, 3, 0, 3].item<float>());
        Assert.AreEqual(0f, storage[2, 3, 1, 3].item<float>(), "item 2 has no padding");
    }

    [TestMethod]
    public void WithoutHostLengthsOnlyTheAdditiveBiasIsAvailable()
    {
        using var scope = NewDisposeScope();
        var padding = KeyPadding.Create(tensor(new long[] { 1, 2 }), 2, ScalarType.Float32, hostLengths: null);

        Assert.IsFalse(padding.CanMaskKeys);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => padding.MaskKeys(zeros(2, 1, 2, 2)));
        StringAssert.Contains(e.Message, "hostLengths");
        TensorAssert.Close(padding.Bias.view(2, 2), tensor(new float[,] { { 0, -10000 }, { 0, 0 } }), 0, "additive bias");
    }

    [TestMethod]
    public void Bf16WavLMAttentionMatchesWhetherPaddedKeysAreMaskedInPlaceOrAdded()
    {
        // In place (rank-one bias, lengths on the host) or added (broadcast bias, lengths on the device only), padded
        // keys weigh exactly 0; the real keys' bias is the same rounded product either way, so valid queries agree to
        // within the attention kernels' own rounding.
        using var scope = NewDisposeScope();
        manual_seed(5);
        var attention = new WavLMSelfAttention(32, 4, 320, 800, 0.0, hasRelativeAttentionBias: true);
        attention.eval();
        attention.to(Fixtures.Device);
        var x = randn(3, 9, 32, device: Fixtures.Device);
        long[] frames = [5, 9, 2];
        var lengths = tensor(frames, device: Fixtures.Device);

        var (exact, _) = attention.call(x, KeyPadding.Create(lengths, 9, ScalarType.Float32, frames), null);
        attention.to(ScalarType.BFloat16);
        var half = x.to(ScalarType.BFloat16);
        var (inPlace, _) = attention.call(half, KeyPadding.Create(lengths, 9, ScalarType.BFloat16, frames), null);
        var (added, _) = attention.call(half, KeyPadding.Create(lengths, 9, ScalarType.BFloat16, null), null);

        double scale = exact.abs().max().item<float>();
        for (int item = 0; item < 3; item++)
        {
            var valid = ..(int)frames[item];
            var reference = exact[item, valid];
            double addedError = TensorAssert.MaxDiff(added[item, valid], reference) / scale;
            double inPlaceError = TensorAssert.MaxDiff(inPlace[item, valid], reference) / scale;
            double between = TensorAssert.MaxDiff(inPlace[item, valid], added[item, valid]) / scale;
            TestContext.WriteLine($"item {item + 1}: {addedError:E2} added, {inPlaceError:E2} in place, {between:E2} between");
            Assert.IsLessThan(0.05, addedError, $"item {item + 1}: bf16 with the added mask vs float32");
            Assert.IsLessThan(0.05, inPlaceError, $"item {item + 1}: bf16 with the mask in place vs float32");
            Assert.IsLessThanOrEqualTo(0.02, between, $"item {item + 1}: in place vs added");
        }
    }
}
