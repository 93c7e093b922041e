// Port of torchaudio transforms/_transforms.py Resample (BSD-2-Clause).
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>
/// torchaudio's <c>transforms.Resample</c> as a module: the sinc kernel is computed once (float64, stored float32) and
/// held in the persistent buffer <c>kernel</c>, so a state dict holding e.g.
/// <c>ssl_feature_extractor.resampler.kernel</c> (shape [2, 1, 23] for 24 kHz -> 16 kHz) loads into it.
/// Equal rates register no buffer and pass the waveform through, as torchaudio does.
/// </summary>
public sealed class Resample : nn.Module<Tensor, Tensor>
{
    readonly int reducedOrig;
    readonly int reducedNew;
    readonly int width;
    // Not readonly: TorchSharp's to(device) writes the moved buffer back into the field.
    Tensor? kernel;

    /// <summary>Builds the resampler and its kernel.</summary>
    /// <param name="origFreq">Input sample rate in Hz.</param>
    /// <param name="newFreq">Output sample rate in Hz.</param>
    /// <param name="method">The kernel's window.</param>
    /// <param name="lowpassFilterWidth">Zero crossings of the sinc kept on each side.</param>
    /// <param name="rolloff">Cut-off as a fraction of the lower Nyquist frequency.</param>
    /// <param name="beta">Kaiser window shape; null for <see cref="Resampler.DefaultKaiserBeta"/>.</param>
    public Resample(int origFreq = 16000, int newFreq = 16000, ResamplingMethod method = ResamplingMethod.SincInterpHann,
        int lowpassFilterWidth = Resampler.DefaultLowpassFilterWidth, double rolloff = Resampler.DefaultRolloff,
        double? beta = null) : base(nameof(Resample))
    {
        Resampler.ValidateParameters(origFreq, newFreq, lowpassFilterWidth, rolloff);
        OrigFreq = origFreq;
        NewFreq = newFreq;
        Method = method;
        int gcd = Resampler.GreatestCommonDivisor(origFreq, newFreq);
        reducedOrig = origFreq / gcd;
        reducedNew = newFreq / gcd;
        if (origFreq != newFreq)
            (kernel, width) = Resampler.CreateKernel(origFreq, newFreq, method, lowpassFilterWidth, rolloff, beta);
        RegisterComponents();
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int OrigFreq { get; }

    /// <summary>Output sample rate in Hz.</summary>
    public int NewFreq { get; }

    /// <summary>The kernel's window.</summary>
    public ResamplingMethod Method { get; }

    /// <summary>Resamples (..., time) to (..., ceil(time * NewFreq / OrigFreq)) on the input's device.</summary>
    /// <param name="waveform">Floating-point samples; leading dimensions are batch dimensions.</param>
    public override Tensor forward(Tensor waveform)
    {
        Resampler.ValidateWaveform(waveform, nameof(waveform));
        using var scope = NewDisposeScope();
        if (kernel is null) return waveform.alias().MoveToOuterDisposeScope();
        // torchaudio would fail on a dtype or device mismatch; following the input is the useful reading.
        var weights = kernel.dtype == waveform.dtype && kernel.device_type == waveform.device_type && kernel.device_index == waveform.device_index
            ? kernel
            : kernel.to(waveform.dtype, waveform.device);
        var result = Resampler.Apply(waveform, reducedOrig, reducedNew, weights, width);
        return result.MoveToOuterDisposeScope();
    }
}
