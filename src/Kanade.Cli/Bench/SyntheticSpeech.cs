using static TorchSharp.torch;

namespace Kanade.Cli.Bench;

/// <summary>
/// Deterministic speech-like test signals for benchmarks: a voiced source (harmonics of a gliding pitch) shaped by
/// a syllable-rate envelope, plus a little noise. Timing does not depend on content; this keeps runs repeatable
/// without shipping audio.
/// </summary>
internal static class SyntheticSpeech
{
    /// <summary>(samples,) float32 of <paramref name="seconds"/> at <paramref name="sampleRate"/>, peak 1.</summary>
    public static Tensor Make(double seconds, int sampleRate, int seed = 1)
    {
        using var scope = NewDisposeScope();
        long samples = (long)Math.Round(seconds * sampleRate);
        var generator = new Generator((ulong)seed);
        var t = arange(samples, dtype: ScalarType.Float64) / sampleRate;
        var pitch = 140 + 30 * sin(2 * Math.PI * 0.7 * t);                    // Hz, gliding
        var phase = cumsum(pitch / sampleRate, 0) * 2 * Math.PI;
        var voiced = zeros_like(t);
        for (int harmonic = 1; harmonic <= 8; harmonic++) voiced += sin(phase * harmonic) / harmonic;
        var envelope = (0.5 + 0.5 * sin(2 * Math.PI * 4 * t)).pow(2);        // ~4 syllables per second
        var noise = randn(samples, dtype: ScalarType.Float64, generator: generator) * 0.05;
        var signal = (voiced * envelope + noise).to(ScalarType.Float32);
        return (signal / (signal.abs().max() + 1e-8)).MoveToOuterDisposeScope();
    }
}
