using Kanade.Ssl;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

/// <summary>The first extractor layer's convolution with its GroupNorm folded in, checked against the two run apart in float64.</summary>
[TestClass]
public sealed class NormalizedWaveformConvolutionTests
{
    const int Kernel = 10, Stride = 5;

    /// <summary>
    /// Each item equals Conv1d then GroupNorm (one group per channel) over its own valid frames, the item run alone in
    /// float64; the items carry DC offsets (0, 0.5, -2) far above some channels' spread. Errors relative to 1 + |expected|.
    /// </summary>
    [TestMethod]
    [DataRow(ScalarType.Float32, 1e-4)]
    [DataRow(ScalarType.BFloat16, 1.5e-2)] // bf16 taps and output: 2^-8 relative each
    public void EqualsConvolutionThenGroupNormOverEachItemsValidFrames(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        long[] frames = [799, 500, 3];
        var offsets = tensor(new float[] { 0, 0.5f, -2 }).view(-1, 1, 1);
        var x = (randn(3, 4000, 1) * 0.3 + offsets).to(dtype);                                  // (B, T, 1)
        var weight = (randn(16, 1, Kernel) * 0.3).to(dtype);
        var (normWeight, normBias) = ((rand(16) + 0.5).to(dtype), randn(16).to(dtype));

        var y = NormalizedWaveformConvolution.Apply(x, weight, Stride, tensor(frames), normWeight, normBias, 1e-5);
        // The reference's order in the same dtype: convolution (rounded), then the norm.
        var separate = MaskedNormalization.TimeGroupNorm(ConvLayerBlock.StridedConvolution(x, weight, null, Stride), tensor(frames), normWeight, normBias, 1e-5);

        Assert.AreEqual(dtype, y.dtype);
        CollectionAssert.AreEqual(new long[] { 3, 799, 16 }, y.shape);
        Assert.IsTrue(y.isfinite().all().item<bool>(), "padded frames stay finite");
        for (int i = 0; i < frames.Length; i++)
        {
            var expected = Reference(x[i], weight, normWeight, normBias, frames[i]);
            double Error(Tensor output) => ((output[i, ..(int)frames[i]].to(ScalarType.Float64) - expected).abs() / (expected.abs() + 1)).max().item<double>();
            double error = Error(y), separateError = Error(separate);
            Console.WriteLine($"{dtype} item {i}: folded {error:G3}, convolution then norm {separateError:G3}");
            Assert.IsLessThan(tolerance, error, $"item {i} ({frames[i]} valid frames), {dtype}");
            Assert.IsLessThanOrEqualTo(separateError * 1.01 + 1e-6, error, $"item {i}: no less accurate than convolution then norm");
        }
    }

    [TestMethod]
    public void WithoutFramesNormalisesOverEveryFrame()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var x = randn(2, 1203, 1) * 0.2 + 0.1;
        var weight = randn(8, 1, Kernel);

        var y = NormalizedWaveformConvolution.Apply(x, weight, Stride, null, null, null, 1e-5);

        var conv = nn.functional.conv1d(x.transpose(1, 2), weight, null, Stride);              // (B, C, T')
        var expected = nn.functional.group_norm(conv, 8, null, null, 1e-5).transpose(1, 2);   // (B, T', C)
        CollectionAssert.AreEqual(expected.shape, y.shape);
        Assert.IsLessThan(1e-4, (y - expected).abs().max().item<float>());
    }

    /// <summary>One item's first <paramref name="frames"/> frames, convolved and normalised alone in float64: (frames, C).</summary>
    static Tensor Reference(Tensor item, Tensor weight, Tensor normWeight, Tensor normBias, long frames)
    {
        long samples = (frames - 1) * Stride + Kernel;
        var wave = item[..(int)samples].to(ScalarType.Float64).t().unsqueeze(0);                // (T, 1) -> (1, 1, T)
        var conv = nn.functional.conv1d(wave, weight.to(ScalarType.Float64), null, Stride);     // (1, C, frames)
        var norm = nn.functional.group_norm(conv, (int)weight.shape[0], normWeight.to(ScalarType.Float64), normBias.to(ScalarType.Float64), 1e-5);
        return norm[0].t();                                                                      // (C, frames) -> (frames, C)
    }
}
