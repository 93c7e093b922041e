// Port of kanade-tokenizer module/hift.py SineGen2 (MIT; from CosyVoice 2, after NSF by Xin Wang).
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>
/// Harmonic sine source from an up-sampled F0: the fundamental and <c>harmonic_num</c> overtones, phase integrated at
/// frame rate and linearly up-sampled, zero where unvoiced, plus Gaussian noise. No parameters.
/// </summary>
public sealed class SineGen2 : Module<Tensor, Generator?, Tensor>
{
    readonly int sampleRate;
    readonly int upsampleScale;
    readonly int harmonics;
    readonly double sineAmplitude;
    readonly double noiseStd;
    readonly double voicedThreshold;

    /// <summary>Creates the generator; <paramref name="upsampleScale"/> is the number of samples per F0 frame.</summary>
    public SineGen2(int sampleRate, int upsampleScale, int harmonicNum = 0, double sineAmp = 0.1, double noiseStd = 0.003, double voicedThreshold = 0)
        : base(nameof(SineGen2))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(upsampleScale, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(harmonicNum);
        this.sampleRate = sampleRate;
        this.upsampleScale = upsampleScale;
        harmonics = harmonicNum + 1;
        sineAmplitude = sineAmp;
        this.noiseStd = noiseStd;
        this.voicedThreshold = voicedThreshold;
        RegisterComponents();
    }

    /// <summary>
    /// F0 (B, L, 1) in Hz at the output rate, L a multiple of the up-sampling scale -> excitation (B, L, harmonic_num + 1).
    /// Random numbers (initial phases of the overtones, noise) come from <paramref name="generator"/>, or torch's global
    /// generator when null.
    /// </summary>
    public override Tensor forward(Tensor f0, Generator? generator)
    {
        using var scope = NewDisposeScope();
        long batch = f0.shape[0];
        var multiples = arange(1, harmonics + 1, dtype: f0.dtype, device: f0.device).view(1, 1, -1);
        var frequencies = f0 * multiples; // (B, L, 1) -> (B, L, H)

        // Phase increments per sample in cycles; the integer part never changes the phase.
        var cycles = (frequencies / sampleRate).remainder(1);
        var initialPhase = Random(generator, [batch, harmonics], f0, normal: false);
        initialPhase.select(1, 0).fill_(0); // the fundamental starts at phase 0
        cycles.select(1, 0).add_(initialPhase); // (B, H) into the first sample of each harmonic

        // Integrate at frame rate and interpolate back, so the phase is smooth within a frame.
        var perFrame = functional.interpolate(cycles.transpose(1, 2), scale_factor: [1.0 / upsampleScale],
            mode: InterpolationMode.Linear, align_corners: false).transpose(1, 2); // (B, L, H) -> (B, L / scale, H)
        var phase = perFrame.cumsum(1) * 2 * Math.PI;
        phase = functional.interpolate(phase.transpose(1, 2) * upsampleScale, scale_factor: [(double)upsampleScale],
            mode: InterpolationMode.Linear, align_corners: false).transpose(1, 2); // (B, L / scale, H) -> (B, L, H)
        var sines = phase.sin() * sineAmplitude;

        var voiced = f0.gt(voicedThreshold).to(f0.dtype); // (B, L, 1)
        var noiseAmplitude = voiced * noiseStd + (1 - voiced) * sineAmplitude / 3;
        var noise = noiseAmplitude * Random(generator, sines.shape, f0, normal: true);
        return (sines * voiced + noise).MoveToOuterDisposeScope();
    }

    /// <summary>Uniform [0, 1) or standard normal numbers, drawn on the generator's device and moved to <paramref name="like"/>'s.</summary>
    internal static Tensor Random(Generator? generator, long[] shape, Tensor like, bool normal)
    {
        var device = generator?.device ?? like.device;
        var draw = normal
            ? randn(shape, dtype: like.dtype, device: device, generator: generator)
            : rand(shape, dtype: like.dtype, device: device, generator: generator);
        return draw.to(like.device);
    }
}
