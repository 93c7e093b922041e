using Kanade.Vocoders;
using static TorchSharp.torch;

namespace Kanade.Tests.Vocoders;

[TestClass]
public sealed class SineGen2Tests
{
    [TestMethod]
    public void ConstantVoicedF0_WithoutNoise_IsASineOfThatFrequency()
    {
        // Per sample the phase advances f0 / sr cycles; integrated per frame and linearly interpolated back, an inner
        // sample n sits at phase 2π (f0 / sr) (n + 1/2 + scale/2), the fundamental starting at phase 0.
        const int sampleRate = 24000, scale = 8, frames = 6;
        const double f0Hz = 440, amplitude = 0.1;
        using var sine = new SineGen2(sampleRate, scale, harmonicNum: 0, sineAmp: amplitude, noiseStd: 0, voicedThreshold: 10);
        using var f0 = full(new long[] { 1, frames * scale, 1 }, f0Hz);
        using var output = sine.call(f0, new Generator(3));

        double step = f0Hz / sampleRate;
        var inner = Enumerable.Range(scale / 2, (frames - 1) * scale).ToArray();
        var expected = inner.Select(n => (float)(amplitude * Math.Sin(2 * Math.PI * step * (n + 0.5 + scale / 2.0)))).ToArray();
        using var actual = output[0, TensorIndex.Slice(scale / 2, scale / 2 + inner.Length), 0];
        TensorAssert.Close(actual, tensor(expected), 1e-5, "sine of a constant F0");
    }

    [TestMethod]
    public void UnvoicedF0_IsNoiseOfStandardDeviationAThirdOfTheAmplitude()
    {
        using var sine = new SineGen2(24000, 4, harmonicNum: 2, sineAmp: 0.3, noiseStd: 0.003, voicedThreshold: 10);
        using var f0 = zeros(1, 40000, 1);
        using var output = sine.call(f0, new Generator(4));
        CollectionAssert.AreEqual(new long[] { 1, 40000, 3 }, output.shape);
        Assert.AreEqual(0.1, output.std().item<float>(), 0.002);
        Assert.AreEqual(0.0, output.mean().item<float>(), 0.002);
    }
}
