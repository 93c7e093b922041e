// Port of torchaudio functional/functional.py (BSD-2-Clause): _get_sinc_resample_kernel, _apply_sinc_resample_kernel, resample.
using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>
/// Band-limited sinc resampling, numerically identical to torchaudio's <c>transforms.Resample</c>: the kernel is built
/// in float64 and stored as float32, then applied as a strided convolution. (torchaudio's <c>functional.resample</c>
/// builds its kernel in the waveform's dtype instead, which moves float32 results by about 1e-7.)
/// </summary>
public static class Resampler
{
    /// <summary>torchaudio's default <c>lowpass_filter_width</c>: zero crossings of the sinc kept on each side.</summary>
    public const int DefaultLowpassFilterWidth = 6;

    /// <summary>torchaudio's default <c>rolloff</c>: the cut-off as a fraction of the lower Nyquist frequency.</summary>
    public const double DefaultRolloff = 0.99;

    /// <summary>torchaudio's default Kaiser window shape for <see cref="ResamplingMethod.SincInterpKaiser"/>.</summary>
    public const double DefaultKaiserBeta = 14.769656459379492;

    readonly record struct KernelKey(int OrigFreq, int NewFreq, ResamplingMethod Method, int LowpassFilterWidth,
        double Rolloff, double Beta, DeviceType DeviceType, int DeviceIndex, ScalarType DType);

    // Lazy, so that concurrent first calls build (and keep) one kernel per key.
    static readonly ConcurrentDictionary<KernelKey, Lazy<(Tensor Kernel, int Width)>> kernels = new();

    /// <summary>
    /// Resamples <paramref name="waveform"/> (..., time) from <paramref name="origFreq"/> to <paramref name="newFreq"/> Hz,
    /// returning (..., ceil(time * newFreq / origFreq)) on the waveform's device and dtype. Kernels are cached per
    /// (rates, method, parameters, device, dtype). Equal rates return the waveform unchanged (an alias).
    /// </summary>
    /// <param name="waveform">Floating-point samples, (..., time); any leading dimensions are batch dimensions.</param>
    /// <param name="origFreq">The waveform's sample rate in Hz.</param>
    /// <param name="newFreq">The wanted sample rate in Hz.</param>
    /// <param name="method">The kernel's window.</param>
    /// <param name="lowpassFilterWidth">Zero crossings of the sinc kept on each side (sharper and slower when larger).</param>
    /// <param name="rolloff">Cut-off as a fraction of the lower of the two Nyquist frequencies.</param>
    /// <param name="beta">Kaiser window shape; null for <see cref="DefaultKaiserBeta"/>. Ignored for the Hann window.</param>
    public static Tensor Resample(Tensor waveform, int origFreq, int newFreq,
        ResamplingMethod method = ResamplingMethod.SincInterpHann, int lowpassFilterWidth = DefaultLowpassFilterWidth,
        double rolloff = DefaultRolloff, double? beta = null)
    {
        ValidateWaveform(waveform, nameof(waveform));
        ValidateParameters(origFreq, newFreq, lowpassFilterWidth, rolloff);
        using var scope = NewDisposeScope();
        if (origFreq == newFreq) return waveform.alias().MoveToOuterDisposeScope();
        int gcd = GreatestCommonDivisor(origFreq, newFreq);
        var key = new KernelKey(origFreq, newFreq, method, lowpassFilterWidth, rolloff, beta ?? DefaultKaiserBeta,
            waveform.device_type, waveform.device_index, waveform.dtype);
        var device = waveform.device;
        var (kernel, width) = kernels.GetOrAdd(key, k => new(() => CreateCachedKernel(k, device))).Value;
        var result = Apply(waveform, origFreq / gcd, newFreq / gcd, kernel, width);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The interpolation kernel torchaudio's <c>Resample</c> registers as its <c>kernel</c> buffer: float32 on the CPU,
    /// shape (newFreq / gcd, 1, 2 * width + origFreq / gcd), with the <c>width</c> of zero padding it needs on the left.
    /// </summary>
    /// <param name="origFreq">Input sample rate in Hz.</param>
    /// <param name="newFreq">Output sample rate in Hz (different from <paramref name="origFreq"/>).</param>
    /// <param name="method">The kernel's window.</param>
    /// <param name="lowpassFilterWidth">Zero crossings of the sinc kept on each side.</param>
    /// <param name="rolloff">Cut-off as a fraction of the lower Nyquist frequency.</param>
    /// <param name="beta">Kaiser window shape; null for <see cref="DefaultKaiserBeta"/>.</param>
    public static (Tensor Kernel, int Width) CreateKernel(int origFreq, int newFreq,
        ResamplingMethod method = ResamplingMethod.SincInterpHann, int lowpassFilterWidth = DefaultLowpassFilterWidth,
        double rolloff = DefaultRolloff, double? beta = null)
    {
        ValidateParameters(origFreq, newFreq, lowpassFilterWidth, rolloff);
        if (origFreq == newFreq)
            throw new ArgumentException($"origFreq and newFreq are both {origFreq} Hz: equal rates need no kernel.", nameof(newFreq));
        if (!Enum.IsDefined(method)) throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown resampling method.");

        int gcd = GreatestCommonDivisor(origFreq, newFreq);
        int orig = origFreq / gcd, target = newFreq / gcd;
        double baseFreq = Math.Min(orig, target) * rolloff;
        int width = (int)Math.Ceiling(lowpassFilterWidth * orig / baseFreq);

        using var scope = NewDisposeScope();
        // The same ops in the same dtypes as torchaudio, so that the float32 kernel matches bit for bit: the output phase
        // j / new is an int64 arange divided in the default float32, the input positions are float64.
        var inputPositions = torch.arange(-width, width + orig, dtype: float64).unsqueeze(0).unsqueeze(0) / orig;   // (1, 1, K)
        var outputPhases = torch.arange(0, -target, -1, dtype: int64).div(target).unsqueeze(1).unsqueeze(2);       // (new, 1, 1) float32
        var t = (outputPhases + inputPositions) * baseFreq;                                                        // (new, 1, K) float64
        t = t.clamp(-lowpassFilterWidth, lowpassFilterWidth);

        Tensor window;
        if (method == ResamplingMethod.SincInterpHann)
        {
            window = (t * Math.PI / lowpassFilterWidth / 2).cos().pow(2);
        }
        else
        {
            // torchaudio holds beta in a default-dtype (float32) tensor, so beta and i0(beta) are float32 values.
            var betaTensor = torch.tensor((float)(beta ?? DefaultKaiserBeta));
            var argument = betaTensor * (1 - (t / lowpassFilterWidth).pow(2)).sqrt();
            window = torch.special.i0(argument) / torch.special.i0(betaTensor);
        }
        t = t * Math.PI;
        double scale = baseFreq / orig;
        var sinc = torch.where(t.eq(0), torch.ones_like(t), t.sin() / t);
        var kernel = (sinc * (window * scale)).to(float32);
        return (kernel.MoveToOuterDisposeScope(), width);
    }

    /// <summary>Samples after resampling <paramref name="length"/> samples: ceil(length * newFreq / origFreq), as torchaudio computes it.</summary>
    public static long OutputLength(long length, int origFreq, int newFreq)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ValidateParameters(origFreq, newFreq, DefaultLowpassFilterWidth, DefaultRolloff);
        if (origFreq == newFreq) return length;
        int gcd = GreatestCommonDivisor(origFreq, newFreq);
        return (long)Math.Ceiling((double)(newFreq / gcd * length) / (origFreq / gcd));
    }

    /// <summary>
    /// Applies a kernel from <see cref="CreateKernel"/> to (..., time) with the rates already divided by their gcd:
    /// zero padding (width, width + orig), a stride-orig convolution, phases interleaved, cut to the output length.
    /// </summary>
    internal static Tensor Apply(Tensor waveform, int reducedOrig, int reducedNew, Tensor kernel, int width)
    {
        using var scope = NewDisposeScope();
        long[] shape = waveform.shape;
        long length = shape[^1];
        var batch = waveform.reshape(-1, length);                                                          // (..., T) -> (N, T)
        long count = batch.shape[0];
        var padded = nn.functional.pad(batch, [width, width + reducedOrig]);
        var phases = nn.functional.conv1d(padded.unsqueeze(1), kernel, stride: reducedOrig);               // (N, new, frames)
        var interleaved = phases.transpose(1, 2).reshape(count, -1);                                        // (N, frames * new)
        long target = (long)Math.Ceiling((double)(reducedNew * length) / reducedOrig);
        var result = interleaved.narrow(1, 0, Math.Min(target, interleaved.shape[1]));
        long[] outputShape = [.. shape[..^1], result.shape[1]];
        return result.reshape(outputShape).MoveToOuterDisposeScope();                                     // (N, T') -> (..., T')
    }

    internal static void ValidateWaveform(Tensor waveform, string name)
    {
        ArgumentNullException.ThrowIfNull(waveform, name);
        if (waveform.dim() < 1)
            throw new ArgumentException($"{name} must have a time dimension, (..., time); got a scalar.", name);
        if (!waveform.is_floating_point())
            throw new ArgumentException($"{name} must be floating point (float32 or float64); got {waveform.dtype}.", name);
    }

    internal static void ValidateParameters(int origFreq, int newFreq, int lowpassFilterWidth, double rolloff)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(origFreq);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newFreq);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lowpassFilterWidth);
        if (!(rolloff > 0 && rolloff <= 1))
            throw new ArgumentOutOfRangeException(nameof(rolloff), rolloff, "rolloff must be in (0, 1].");
    }

    internal static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    static (Tensor Kernel, int Width) CreateCachedKernel(KernelKey key, Device device)
    {
        // Cached kernels outlive every caller's scope, and must stay ordinary tensors even when first asked for
        // inside inference mode, or later autograd use would refuse them.
        using var normalMode = torch.inference_mode(false);
        var (kernel, width) = CreateKernel(key.OrigFreq, key.NewFreq, key.Method, key.LowpassFilterWidth, key.Rolloff, key.Beta);
        var placed = kernel.to(key.DType, device);
        if (!ReferenceEquals(placed, kernel)) kernel.Dispose();
        placed.DetachFromDisposeScope();
        return (placed, width);
    }
}
