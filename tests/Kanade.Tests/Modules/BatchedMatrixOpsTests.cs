using Kanade.Modules;
using static TorchSharp.torch;

namespace Kanade.Tests.Modules;

[TestClass]
public sealed class BatchedMatrixOpsTests
{
    [TestMethod]
    public void MultiplyAddIsInputPlusBatchedProduct()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var input = randn(3, 4, 5);
        var batch1 = randn(3, 4, 6);
        var batch2 = randn(3, 6, 5);

        var result = BatchedMatrixOps.MultiplyAdd(input, batch1, batch2);

        var expected = input + batch1.bmm(batch2);
        Assert.IsLessThan(1e-5, (result - expected).abs().max().item<float>());
    }

    [TestMethod]
    public void MultiplyAddTakesStridedViewsAndBroadcastInput()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var storage = randn(2, 9, 4);                                                  // rows of 8 values, 4 apart: overlapping views
        var rows = storage.as_strided([2, 7, 8], [36, 4, 1], 0);
        var weight = randn(8, 3).expand(2, -1, -1);
        var bias = randn(3).expand(2, 7, 3);

        var result = BatchedMatrixOps.MultiplyAdd(bias, rows, weight);

        var expected = bias + rows.contiguous().bmm(weight.contiguous());
        Assert.IsLessThan(1e-5, (result - expected).abs().max().item<float>());
    }
}
