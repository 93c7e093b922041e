using Kanade.Ssl;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

/// <summary>The grouped Conv1d through the FFT (WavLM's positional convolution on CUDA), checked against Conv1d in float64.</summary>
[TestClass]
public sealed class FftConvolutionTests
{
    [TestMethod]
    [DataRow(96, 16, 128, 64, 300)]  // WavLM base's shape, 16 groups of 6 channels (of 48), kernel 128, padding 64
    [DataRow(12, 3, 7, 3, 40)]       // odd kernel
    [DataRow(8, 2, 16, 8, 5)]        // fewer frames than the kernel
    [DataRow(6, 1, 4, 0, 20)]        // no padding, one group
    public void EqualsConv1d(int channels, int groups, int kernel, int padding, int time)
    {
        using var scope = NewDisposeScope();
        manual_seed(channels + kernel);
        var x = randn(2, channels, time);
        var weight = randn(channels, channels / groups, kernel) / Math.Sqrt(kernel);
        var bias = randn(channels);

        var y = FftConvolution.Conv1d(x, weight, bias, padding, groups);

        var expected = nn.functional.conv1d(x.to(ScalarType.Float64), weight.to(ScalarType.Float64), bias.to(ScalarType.Float64), padding: padding, groups: groups);
        CollectionAssert.AreEqual(expected.shape, y.shape);
        Assert.AreEqual(ScalarType.Float32, y.dtype);
        double scale = 1 + expected.abs().max().item<double>();
        Assert.IsLessThan(1e-5, (y.to(ScalarType.Float64) - expected).abs().max().item<double>() / scale);
    }

    [TestMethod]
    public void KeepsTheInputsHalfPrecision()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var x = randn(1, 32, 50).to(ScalarType.BFloat16);
        var weight = (randn(32, 2, 16) / 4).to(ScalarType.BFloat16);

        var y = FftConvolution.Conv1d(x, weight, null, 8, 16);

        var expected = nn.functional.conv1d(x.to(ScalarType.Float64), weight.to(ScalarType.Float64), padding: 8, groups: 16);
        Assert.AreEqual(ScalarType.BFloat16, y.dtype);
        Assert.IsLessThan(1e-2, ((y.to(ScalarType.Float64) - expected).abs() / (expected.abs() + 1)).max().item<double>());
    }

    [TestMethod]
    public void RejectsPaddingOfAWholeKernel()
    {
        using var scope = NewDisposeScope();
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FftConvolution.Conv1d(zeros(1, 4, 10), zeros(4, 4, 3), null, 3, 1));
        StringAssert.Contains(error.Message, "kernel size 3");
    }

    [TestMethod]
    [DataRow(1L, 1L)]
    [DataRow(11L, 12L)]
    [DataRow(13L, 14L)]
    [DataRow(564L, 567L)]   // 564 = 4 x 3 x 47 -> 3^4 x 7
    [DataRow(1024L, 1024L)]
    public void FastLengthHasOnlySmallPrimeFactors(long minimum, long expected) =>
        Assert.AreEqual(expected, FftConvolution.FastLength(minimum));
}
