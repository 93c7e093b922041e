// Port of torchaudio functional.melscale_fbanks (BSD-2-Clause) and librosa filters.mel (ISC): triangular mel filterbanks.
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>Mel filterbanks, computed the way the reference's libraries compute them so that the numbers match.</summary>
public static class MelFilterbank
{
    /// <summary>
    /// torchaudio's <c>melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate, norm=None, mel_scale="htk")</c>:
    /// (n_freqs, n_mels) float32, built with float32 tensor ops as torchaudio builds it (the Vocos filterbank).
    /// </summary>
    /// <param name="frequencyBins">STFT bins, n_fft / 2 + 1.</param>
    /// <param name="fMin">Lowest filter edge in Hz.</param>
    /// <param name="fMax">Highest filter edge in Hz.</param>
    /// <param name="melBins">Number of mel filters.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    public static Tensor Htk(int frequencyBins, double fMin, double fMax, int melBins, int sampleRate)
    {
        Validate(frequencyBins, fMin, fMax, melBins, sampleRate);
        using var scope = NewDisposeScope();
        var binFrequencies = torch.linspace(0, sampleRate / 2, frequencyBins, dtype: float32);
        double melMin = 2595.0 * Math.Log10(1.0 + fMin / 700.0);
        double melMax = 2595.0 * Math.Log10(1.0 + fMax / 700.0);
        var melPoints = torch.linspace(melMin, melMax, melBins + 2, dtype: float32);
        var hertzPoints = (torch.tensor(10.0f).pow(melPoints / 2595.0) - 1.0) * 700.0;
        var result = TriangularFilters(binFrequencies, hertzPoints);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// librosa's <c>filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm="slaney")</c>: (n_mels, n_fft / 2 + 1)
    /// float32, Slaney's mel scale with area normalisation; computed in float64 and rounded as librosa rounds it.
    /// </summary>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="fftSize">FFT size; the filterbank has n_fft / 2 + 1 columns.</param>
    /// <param name="melBins">Number of mel filters.</param>
    /// <param name="fMin">Lowest filter edge in Hz.</param>
    /// <param name="fMax">Highest filter edge in Hz; null for sampleRate / 2.</param>
    public static Tensor Slaney(int sampleRate, int fftSize, int melBins, double fMin = 0, double? fMax = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fftSize);
        double top = fMax ?? sampleRate / 2.0;
        int bins = fftSize / 2 + 1;
        Validate(bins, fMin, top, melBins, sampleRate);

        // np.fft.rfftfreq(n_fft, 1 / sr)
        double binWidth = 1.0 / (fftSize * (1.0 / sampleRate));
        var binFrequencies = new double[bins];
        for (int k = 0; k < bins; k++) binFrequencies[k] = k * binWidth;

        // mel_frequencies: np.linspace over the mel range (i * step + start, last point exactly stop), back to Hz
        double melMin = SlaneyHertzToMel(fMin), melMax = SlaneyHertzToMel(top);
        int points = melBins + 2;
        double step = (melMax - melMin) / (points - 1);
        var edges = new double[points];
        for (int i = 0; i < points; i++)
            edges[i] = SlaneyMelToHertz(i == points - 1 ? melMax : i * step + melMin);

        var weights = new float[melBins * bins];
        for (int m = 0; m < melBins; m++)
        {
            double lowerWidth = edges[m + 1] - edges[m], upperWidth = edges[m + 2] - edges[m + 1];
            // librosa stores the triangle in float32, then scales it in float64 and stores it again.
            double areaNorm = 2.0 / (edges[m + 2] - edges[m]);
            for (int k = 0; k < bins; k++)
            {
                double rising = -(edges[m] - binFrequencies[k]) / lowerWidth;
                double falling = (edges[m + 2] - binFrequencies[k]) / upperWidth;
                float triangle = (float)Math.Max(0.0, Math.Min(rising, falling));
                weights[m * bins + k] = (float)(triangle * areaNorm);
            }
        }
        return torch.tensor(weights, [melBins, bins], float32);
    }

    /// <summary>Slaney's mel scale (librosa <c>hz_to_mel(htk=False)</c>): linear below 1 kHz, logarithmic above.</summary>
    public static double SlaneyHertzToMel(double hertz)
    {
        const double linearStep = 200.0 / 3;
        double logStep = Math.Log(6.4) / 27.0;
        double minLogMel = 1000.0 / linearStep;
        return hertz >= 1000.0 ? minLogMel + Math.Log(hertz / 1000.0) / logStep : hertz / linearStep;
    }

    /// <summary>Inverse of <see cref="SlaneyHertzToMel"/> (librosa <c>mel_to_hz(htk=False)</c>).</summary>
    public static double SlaneyMelToHertz(double mel)
    {
        const double linearStep = 200.0 / 3;
        double logStep = Math.Log(6.4) / 27.0;
        double minLogMel = 1000.0 / linearStep;
        return mel >= minLogMel ? 1000.0 * Math.Exp(logStep * (mel - minLogMel)) : linearStep * mel;
    }

    /// <summary>torchaudio's <c>_create_triangular_filterbank</c>: (n_freqs, n_filters) from filter edges (n_filters + 2).</summary>
    static Tensor TriangularFilters(Tensor binFrequencies, Tensor edges)
    {
        long count = edges.shape[0];
        var edgeGaps = edges.narrow(0, 1, count - 1) - edges.narrow(0, 0, count - 1);                      // (n_filters + 1)
        var slopes = edges.unsqueeze(0) - binFrequencies.unsqueeze(1);                                       // (n_freqs, n_filters + 2)
        var rising = (slopes.narrow(1, 0, count - 2) * -1.0) / edgeGaps.narrow(0, 0, count - 2);           // (n_freqs, n_filters)
        var falling = slopes.narrow(1, 2, count - 2) / edgeGaps.narrow(0, 1, count - 2);                   // (n_freqs, n_filters)
        return torch.maximum(torch.zeros(1), torch.minimum(rising, falling));
    }

    static void Validate(int frequencyBins, double fMin, double fMax, int melBins, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frequencyBins);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(melBins);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!(fMin >= 0)) throw new ArgumentOutOfRangeException(nameof(fMin), fMin, "fMin must be >= 0 Hz.");
        if (!(fMax > fMin)) throw new ArgumentOutOfRangeException(nameof(fMax), fMax, $"fMax must be above fMin ({fMin} Hz).");
    }
}
