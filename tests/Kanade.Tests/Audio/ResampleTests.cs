using Kanade.Audio;
using Kanade.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Tests.Audio;

/// <summary>Resample and Resampler against torchaudio's stored kernel, hand-computed taps and signal properties.</summary>
[TestClass]
public sealed class ResampleTests
{
    [TestMethod]
    [DataRow("tiny12")]
    [DataRow("tiny25")]
    public void KernelEqualsTheStoredSslResamplerKernel(string set)
    {
        using var scope = NewDisposeScope();
        var stored = SafeTensors.Load(Fixtures.Path(set, "model_full.safetensors"))["ssl_feature_extractor.resampler.kernel"];
        using var resampler = new Resample(24000, 16000);
        var state = resampler.state_dict();
        CollectionAssert.AreEqual(new[] { "kernel" }, state.Keys.ToArray());
        CollectionAssert.AreEqual(new long[] { 2, 1, 23 }, state["kernel"].shape);
        TensorAssert.Close(state["kernel"], stored, 0, $"{set} resampler kernel");
    }

    [TestMethod]
    public void StoredKernelLoadsStrictly()
    {
        using var scope = NewDisposeScope();
        var stored = SafeTensors.Load(Fixtures.Path("tiny12", "model_full.safetensors"))["ssl_feature_extractor.resampler.kernel"];
        using var resampler = new Resample(24000, 16000);
        var (missing, unexpected) = resampler.load_state_dict(new Dictionary<string, Tensor> { ["kernel"] = stored }, strict: true);
        Assert.AreEqual(0, missing.Count + unexpected.Count);
    }

    [TestMethod]
    public void HannKernelTapsEqualTheWindowedSincComputedByHand()
    {
        // 24 kHz -> 16 kHz: rates 3 -> 2 after the gcd, cut-off 2 x 0.99 = 1.98, width ceil(6 x 3 / 1.98) = 10.
        // Tap k of phase j sits at t = (k - 10) / 3 - j / 2 (in input samples), scaled by 1.98.
        var (kernel, width) = Resampler.CreateKernel(24000, 16000);
        Assert.AreEqual(10, width);
        foreach (var (phase, tap) in new[] { (0, 10), (0, 11), (1, 12), (1, 3), (0, 0) })
        {
            double t = Math.Clamp(((tap - 10) / 3.0 - phase / 2.0) * 1.98, -6, 6);
            double window = Math.Pow(Math.Cos(t * Math.PI / 6 / 2), 2);
            double sinc = t == 0 ? 1 : Math.Sin(Math.PI * t) / (Math.PI * t);
            double expected = sinc * window * 1.98 / 3;
            Assert.AreEqual(expected, kernel[phase, 0, tap].item<float>(), 1e-7, $"phase {phase} tap {tap}");
        }
    }

    [TestMethod]
    public void KaiserKernelTapsEqualTheKaiserWindowedSincComputedByHand()
    {
        const double beta = 14.769656459379492;
        var (kernel, width) = Resampler.CreateKernel(24000, 16000, ResamplingMethod.SincInterpKaiser);
        Assert.AreEqual(10, width);
        double betaAsStored = (float)beta;                  // torchaudio keeps beta in a float32 tensor
        foreach (var (phase, tap) in new[] { (0, 10), (0, 11), (1, 12), (1, 5), (0, 17) })
        {
            double t = Math.Clamp(((tap - 10) / 3.0 - phase / 2.0) * 1.98, -6, 6);
            double window = BesselI0(betaAsStored * Math.Sqrt(1 - t / 6 * (t / 6))) / BesselI0(betaAsStored);
            double sinc = t == 0 ? 1 : Math.Sin(Math.PI * t) / (Math.PI * t);
            double expected = sinc * window * 1.98 / 3;
            Assert.AreEqual(expected, kernel[phase, 0, tap].item<float>(), 1e-7 + 1e-6 * Math.Abs(expected), $"phase {phase} tap {tap}");
        }
    }

    /// <summary>The modified Bessel function I0 by its power series, sum of ((x/2)^k / k!)^2.</summary>
    static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (int k = 1; k < 200; k++)
        {
            term *= x / 2 / k;
            sum += term * term;
        }
        return sum;
    }

    [TestMethod]
    [DataRow(ResamplingMethod.SincInterpHann, 16000, 24000)]
    [DataRow(ResamplingMethod.SincInterpKaiser, 16000, 24000)]
    [DataRow(ResamplingMethod.SincInterpKaiser, 44100, 16000)]
    public void ConstantSignalStaysConstantAwayFromTheEdges(ResamplingMethod method, int from, int to)
    {
        using var scope = NewDisposeScope();
        var constant = full(1, 4000, 0.5f);
        var resampled = Resampler.Resample(constant, from, to, method);
        long length = resampled.shape[1];
        Assert.AreEqual(Resampler.OutputLength(4000, from, to), length);
        var interior = resampled.narrow(1, 100, length - 200);
        // The windowed sinc's DC gain is 1 to within the window's ripple (Kaiser beta 14.8: about 1e-4 of full scale).
        Assert.IsLessThanOrEqualTo(5e-4, (interior - 0.5).abs().max().item<float>(), $"{method} {from} -> {to}");
    }

    [TestMethod]
    [DataRow(6001L, 24000, 16000, 4001L)]
    [DataRow(171074L, 44100, 24000, 93102L)]
    [DataRow(85537L, 22050, 24000, 93102L)]
    [DataRow(55610L, 16000, 24000, 83415L)]
    [DataRow(68545L, 48000, 24000, 34273L)]
    public void OutputLengthIsTheCeilingOfTheRateRatio(long length, int from, int to, long expected)
    {
        Assert.AreEqual(expected, Resampler.OutputLength(length, from, to));
        using var scope = NewDisposeScope();
        Assert.AreEqual(expected, Resampler.Resample(zeros(length), from, to).shape[0]);
    }

    [TestMethod]
    public void FunctionalFormEqualsTheModuleAndBatchesOverLeadingDimensions()
    {
        using var scope = NewDisposeScope();
        var batch = randn(new long[] { 2, 3, 5000 }, generator: new Generator(11));
        using var module = new Resample(44100, 24000);
        var fromModule = module.call(batch);
        var fromFunction = Resampler.Resample(batch, 44100, 24000);
        CollectionAssert.AreEqual(new long[] { 2, 3, 2722 }, fromModule.shape);
        TensorAssert.Close(fromFunction, fromModule, 0, "functional vs module");
        TensorAssert.Close(fromModule[1, 2], Resampler.Resample(batch[1, 2], 44100, 24000), 0, "one row vs batch");
    }

    [TestMethod]
    public void FunctionalKernelsAreCachedPerRatesAndDtype()
    {
        using var scope = NewDisposeScope();
        var signal = randn(1000, generator: new Generator(5));
        var first = Resampler.Resample(signal, 48000, 16000);
        var again = Resampler.Resample(signal, 48000, 16000);
        TensorAssert.Close(again, first, 0, "cached kernel");
        var doublePrecision = Resampler.Resample(signal.to(float64), 48000, 16000);
        Assert.AreEqual(ScalarType.Float64, doublePrecision.dtype);
        TensorAssert.Close(doublePrecision, first, 1e-6, "float64 input");
    }

    [TestMethod]
    public void EqualRatesPassTheWaveformThroughWithoutAKernel()
    {
        using var scope = NewDisposeScope();
        using var resampler = new Resample(16000, 16000);
        Assert.AreEqual(0, resampler.state_dict().Count);
        var signal = randn(300, generator: new Generator(2));
        TensorAssert.Close(resampler.call(signal), signal, 0, "identity");
        TensorAssert.Close(Resampler.Resample(signal, 8000, 8000), signal, 0, "functional identity");
    }

    [TestMethod]
    public void InvalidArgumentsAreRefused()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Resample(0, 16000));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Resampler.Resample(zeros(10), 16000, -1));
        Assert.ThrowsExactly<ArgumentException>(() => Resampler.Resample(zeros(new long[] { 10 }, int64), 16000, 8000));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Resample(16000, 8000, rolloff: 1.5));
    }
}
