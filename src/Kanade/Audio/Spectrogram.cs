// Port of torchaudio transforms/_transforms.py Spectrogram and functional.spectrogram (BSD-2-Clause), Hann window.
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>
/// torchaudio's <c>Spectrogram</c> with a periodic Hann window, reflect padding and no normalisation. The window is the
/// persistent buffer <c>window</c>, as in torchaudio (Vocos checkpoints store it).
/// </summary>
public sealed class Spectrogram : nn.Module<Tensor, Tensor>
{
    // Not readonly: TorchSharp's to(device) writes the moved buffer back into the field.
    Tensor window;

    /// <summary>Builds the transform.</summary>
    /// <param name="nFft">FFT size; the output has nFft / 2 + 1 bins.</param>
    /// <param name="winLength">Window length; null for <paramref name="nFft"/>.</param>
    /// <param name="hopLength">Samples between frames; null for winLength / 2.</param>
    /// <param name="power">Exponent of the magnitude (1 for magnitude, 2 for power); null for the complex spectrum.</param>
    /// <param name="center">Reflect-pad by nFft / 2 on both sides so that frame t is centred on sample t * hop.</param>
    public Spectrogram(int nFft = 400, int? winLength = null, int? hopLength = null, double? power = 2.0, bool center = true)
        : base(nameof(Spectrogram))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nFft);
        NFft = nFft;
        WinLength = winLength ?? nFft;
        HopLength = hopLength ?? WinLength / 2;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(WinLength, nameof(winLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(WinLength, nFft, nameof(winLength));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HopLength, nameof(hopLength));
        if (power is <= 0) throw new ArgumentOutOfRangeException(nameof(power), power, "power must be positive, or null for the complex spectrum.");
        Power = power;
        Center = center;
        window = torch.hann_window(WinLength, periodic: true, dtype: float32);
        RegisterComponents();
    }

    /// <summary>FFT size.</summary>
    public int NFft { get; }

    /// <summary>Window length.</summary>
    public int WinLength { get; }

    /// <summary>Samples between frames.</summary>
    public int HopLength { get; }

    /// <summary>Magnitude exponent, or null for complex output.</summary>
    public double? Power { get; }

    /// <summary>Whether frames are centred (reflect padding of nFft / 2).</summary>
    public bool Center { get; }

    /// <summary>(..., time) -> (..., nFft / 2 + 1, frames): |STFT|^power, or the complex STFT when power is null.</summary>
    /// <param name="waveform">Real samples on the module's device.</param>
    public override Tensor forward(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var spectrum = Stft.Complex(waveform, NFft, HopLength, window, WinLength, Center);
        var result = Power switch
        {
            null => spectrum,
            1.0 => spectrum.abs(),
            double p => spectrum.abs().pow(p),
        };
        return result.MoveToOuterDisposeScope();
    }
}
