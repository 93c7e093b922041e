using Kanade.Ssl;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

/// <summary>The CUDA front end's convolution as matrix products over strided views, checked against Conv1d on the CPU.</summary>
[TestClass]
public sealed class StridedConvolutionTests
{
    [TestMethod]
    [DataRow(1, 10, 5, false)]   // WavLM's first layer: one input channel, gathered windows
    [DataRow(1, 10, 5, true)]
    [DataRow(8, 3, 2, false)]    // two runs of taps: 2 + 1
    [DataRow(8, 2, 2, false)]    // one run
    [DataRow(6, 7, 3, true)]     // three runs (3 + 3 + 1), with a bias
    [DataRow(5, 2, 3, false)]    // kernel shorter than the stride: frames skip input
    public void EqualsConv1d(int inChannels, int kernel, int stride, bool bias)
    {
        using var scope = NewDisposeScope();
        manual_seed(kernel * 10 + stride);
        var x = randn(3, 101, inChannels);                                                        // (B, T, C_in)
        var weight = randn(4, inChannels, kernel);
        var b = bias ? randn(4) : null;

        var y = ConvLayerBlock.StridedConvolution(x, weight, b, stride);

        var expected = nn.functional.conv1d(x.transpose(1, 2), weight, b, stride).transpose(1, 2);
        CollectionAssert.AreEqual(expected.shape, y.shape);
        Assert.IsLessThan(1e-5, (y - expected).abs().max().item<float>());
    }
}
