using Kanade.Audio;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Tests.Vocoders;

[TestClass]
public sealed class IstftTests
{
    [TestMethod]
    public void Center_InvertsCenteredStft()
    {
        using var signal = randn(2, 64 * 10, generator: new Generator(1));
        using var window = hann_window(64);
        using var spec = stft(signal, 64, 16, 64, window, center: true, return_complex: true);
        using var restored = Istft.Center(spec, 64, 16, window);
        Assert.IsLessThan(1e-5, TensorAssert.MaxDiff(restored, signal));
    }

    [TestMethod]
    public void Same_InvertsStftOfSamePaddedSignal()
    {
        // Vocos' "same" padding: (win - hop) / 2 samples each side, frames = samples / hop.
        const int nFft = 64, hop = 16, pad = (nFft - hop) / 2;
        using var signal = randn(2, hop * 12, generator: new Generator(2));
        using var window = hann_window(nFft);
        using var padded = nn.functional.pad(signal, (pad, pad), PaddingModes.Reflect);
        using var spec = stft(padded, nFft, hop, nFft, window, center: false, return_complex: true);
        using var restored = Istft.Same(spec, nFft, hop, window);
        CollectionAssert.AreEqual(signal.shape, restored.shape);
        Assert.IsLessThan(1e-5, TensorAssert.MaxDiff(restored, signal));
    }

    [TestMethod]
    public void Same_ConstantFrames_AreWindowSumOverWindowEnergy()
    {
        // A spectrum of DC n_fft only is a frame of ones; overlap-add then gives sum(w) / sum(w²) at each sample.
        const int nFft = 8, hop = 4, frames = 3, pad = (nFft - hop) / 2;
        using var window = hann_window(nFft);
        using var spec = zeros(new long[] { 1, nFft / 2 + 1, frames }, complex64);
        spec[0, 0] = tensor(nFft, complex64);
        using var y = Istft.Same(spec, nFft, hop, window);

        var w = Enumerable.Range(0, nFft).Select(n => 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / nFft)).ToArray();
        var expected = Enumerable.Range(0, frames * hop).Select(m =>
        {
            int p = m + pad;
            var covering = Enumerable.Range(0, frames).Select(t => p - t * hop).Where(k => k >= 0 && k < nFft).ToArray();
            return (float)(covering.Sum(k => w[k]) / covering.Sum(k => w[k] * w[k]));
        }).ToArray();
        TensorAssert.Close(y[0], tensor(expected), 1e-6, "overlap-add of constant frames");
    }

    [TestMethod]
    public void Same_SpectrumWithWrongBinCount_ThrowsNamingTheExpectedShape()
    {
        using var window = hann_window(64);
        using var spec = zeros(new long[] { 1, 30, 4 }, complex64);
        var error = Assert.ThrowsExactly<ArgumentException>(() => Istft.Same(spec, 64, 16, window));
        StringAssert.Contains(error.Message, "n_fft/2+1 = 33");
    }
}
