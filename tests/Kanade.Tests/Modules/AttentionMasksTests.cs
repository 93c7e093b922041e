using Kanade.Modules;
using static TorchSharp.torch;

namespace Kanade.Tests.Modules;

[TestClass]
public sealed class AttentionMasksTests
{
    [TestMethod]
    [DataRow(null, true)]
    [DataRow(5, false)]
    [DataRow(5, true)]
    public void AdditiveMaskGivesSdpaTheSameResultAsTheBooleanOne(int? window, bool padded)
    {
        const long time = 23;
        using var scope = NewDisposeScope();
        manual_seed(3);
        var (q, k, v) = (randn(2, 4, time, 8), randn(2, 4, time, 8), randn(2, 4, time, 8));
        var valid = padded ? arange(time).unsqueeze(0) < tensor(new long[] { time, 17 }).unsqueeze(1) : null;
        var boolean = AttentionMasks.Combine(AttentionMasks.Band(time, window, causal: window is null, CPU), valid, time, CPU)!;
        var additive = AttentionMasks.Additive(time, window, causal: window is null, valid, ScalarType.Float32, CPU)!;
        Assert.AreEqual(ScalarType.Float32, additive.dtype);
        Assert.IsTrue(additive.eq(0).eq(boolean).all().item<bool>(), "0 exactly where the boolean mask allows");
        Assert.IsTrue(additive.isneginf().eq(boolean.logical_not()).all().item<bool>(), "-inf exactly where it forbids");
        var expected = nn.functional.scaled_dot_product_attention(q, k, v, boolean);
        var actual = nn.functional.scaled_dot_product_attention(q, k, v, additive);
        Assert.IsTrue(actual.eq(expected).all().item<bool>(), "bit for bit");
    }

    [TestMethod]
    public void UnpaddedMasksAreCachedPerDtypeAndNullWithoutWindowOrCausality()
    {
        Assert.IsNull(AttentionMasks.Additive(16, null, false, null, ScalarType.Float32, CPU));
        var first = AttentionMasks.Additive(16, 5, false, null, ScalarType.BFloat16, CPU)!;
        Assert.AreSame(first, AttentionMasks.Additive(16, 5, false, null, ScalarType.BFloat16, CPU));
        Assert.AreEqual(ScalarType.BFloat16, first.dtype);
        Assert.AreEqual(ScalarType.Float32, AttentionMasks.Additive(16, 5, false, null, ScalarType.Float32, CPU)!.dtype);
    }

    [TestMethod]
    public void AMaskFirstBuiltInInferenceModeServesTraining()
    {
        using var scope = NewDisposeScope();
        Tensor mask;
        using (inference_mode()) mask = AttentionMasks.Additive(19, 7, false, null, ScalarType.Float32, CPU)!;
        var q = randn(1, 2, 19, 4, requires_grad: true);
        nn.functional.scaled_dot_product_attention(q, q, q, mask).sum().backward();
        Assert.IsNotNull(q.grad);
    }
}
