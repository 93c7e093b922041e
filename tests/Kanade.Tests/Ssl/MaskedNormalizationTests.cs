using Kanade.Ssl;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

[TestClass]
public sealed class MaskedNormalizationTests
{
    /// <summary>
    /// Each item equals GroupNorm (one group per channel) over its own valid frames, computed alone in float64,
    /// including channels whose mean is far larger than their spread (where E[x^2] - mean^2 would cancel); errors
    /// relative to 1 + |expected|.
    /// </summary>
    [TestMethod]
    [DataRow(ScalarType.Float32, 100.0, 1e-4)]
    [DataRow(ScalarType.BFloat16, 4.0, 1e-2)] // bf16 output: a bf16 ulp is 2^-7 relative; larger means leave no information in bf16 input
    public void TimeGroupNormEqualsGroupNormOverEachItemsValidFrames(ScalarType dtype, double largestMean, double tolerance)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        long channels = 6, frames = 3000;
        long[] valid = [frames, 2101, 17];
        var offsets = (tensor(new float[] { 0, 0.04f, -0.3f, 0.005f, 1, 0 }) * (float)largestMean).view(1, 1, -1);
        var x = (randn(valid.Length, frames, channels) * 0.5 + offsets).to(dtype);               // (B, T, C)
        var weight = (rand(channels) + 0.5).to(dtype);
        var bias = randn(channels).to(dtype);

        var y = MaskedNormalization.TimeGroupNorm(x, tensor(valid), weight, bias, 1e-5);

        Assert.AreEqual(dtype, y.dtype);
        for (int i = 0; i < valid.Length; i++)
        {
            var item = x[i, ..(int)valid[i]].to(ScalarType.Float64).t().unsqueeze(0);            // (T, C) -> (1, C, T)
            var expected = nn.functional.group_norm(item, (int)channels, weight.to(ScalarType.Float64), bias.to(ScalarType.Float64), 1e-5)[0].t();
            double error = ((y[i, ..(int)valid[i]].to(ScalarType.Float64) - expected).abs() / (expected.abs() + 1)).max().item<double>();
            Assert.IsLessThan(tolerance, error, $"item {i} ({valid[i]} valid frames of {frames}), {dtype}");
            Assert.IsTrue(y[i].isfinite().all().item<bool>(), $"item {i}: padded frames must stay finite");
        }
    }

    [TestMethod]
    public void TimeGroupNormWithoutLengthsIsGroupNorm()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var x = randn(2, 500, 3) * 2 + 5;                                                         // (B, T, C)
        var weight = rand(3) + 0.5;
        var bias = randn(3);

        var y = MaskedNormalization.TimeGroupNorm(x, null, weight, bias, 1e-5);

        var expected = nn.functional.group_norm(x.transpose(1, 2), 3, weight, bias, 1e-5).transpose(1, 2);
        Assert.IsLessThan(1e-5, (y - expected).abs().max().item<float>());
    }
}
