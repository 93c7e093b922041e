// Port of kanade-tokenizer model.py _calculate_waveform_padding / _calculate_original_audio_length /
// _calculate_target_mel_length and ssl_extractor.py get_minimum_input_length (MIT).
namespace Kanade;

/// <summary>
/// The reference's length arithmetic: how much to pad a waveform so the SSL model yields a whole number of frames,
/// how long the audio behind N tokens was, and how many mel frames a waveform has. Pure functions, in double
/// precision in the reference's order, so every length matches it exactly.
/// </summary>
public static class KanadeLengths
{
    /// <summary>Samples (at the SSL rate) the convolution stack needs to produce <paramref name="frames"/> frames.</summary>
    /// <param name="frames">Desired number of SSL frames.</param>
    /// <param name="convLayers">(kernel, stride) of each feature-extractor convolution, first to last.</param>
    public static long MinimumInputLength(long frames, IReadOnlyList<(int Kernel, int Stride)> convLayers)
    {
        long length = frames;
        for (int i = convLayers.Count - 1; i >= 0; i--) length = (length - 1) * convLayers[i].Stride + convLayers[i].Kernel;
        return length;
    }

    /// <summary>Frames the convolution stack produces from <paramref name="samples"/> input samples (0 when too short).</summary>
    public static long OutputFrames(long samples, IReadOnlyList<(int Kernel, int Stride)> convLayers)
    {
        long length = samples;
        foreach (var (kernel, stride) in convLayers)
        {
            if (length < kernel) return 0;
            length = (length - kernel) / stride + 1;
        }
        return length;
    }

    /// <summary>Product of the strides: input samples per SSL frame.</summary>
    public static int HopSize(IReadOnlyList<(int Kernel, int Stride)> convLayers) => convLayers.Aggregate(1, (h, l) => h * l.Stride);

    /// <summary>Zeros to add on each side of a waveform of <paramref name="audioLength"/> samples.</summary>
    /// <param name="audioLength">Waveform length at <paramref name="sampleRate"/>.</param>
    /// <param name="sampleRate">The model's sample rate.</param>
    /// <param name="sslSampleRate">The SSL model's sample rate.</param>
    /// <param name="convLayers">The SSL feature extractor's (kernel, stride) list.</param>
    /// <param name="downsampleFactor">SSL frames per token.</param>
    /// <param name="ensureReconstructionLength">Round the frame count up to a multiple of <paramref name="downsampleFactor"/> (training).</param>
    public static int WaveformPadding(long audioLength, int sampleRate, int sslSampleRate,
        IReadOnlyList<(int Kernel, int Stride)> convLayers, int downsampleFactor = 1, bool ensureReconstructionLength = false)
    {
        double samplesAtSslRate = (double)audioLength / sampleRate * sslSampleRate;
        long frames = (long)Math.Ceiling(samplesAtSslRate / HopSize(convLayers));
        if (ensureReconstructionLength && frames % downsampleFactor != 0) frames += downsampleFactor - frames % downsampleFactor;
        long requiredAtSslRate = MinimumInputLength(frames, convLayers);
        double required = (double)requiredAtSslRate / sslSampleRate * sampleRate;
        return (int)Math.Ceiling((required - audioLength) / 2);
    }

    /// <summary>Waveform length (at <paramref name="sampleRate"/>) that <paramref name="tokenCount"/> tokens stand for.</summary>
    public static long OriginalAudioLength(long tokenCount, int sampleRate, int sslSampleRate,
        IReadOnlyList<(int Kernel, int Stride)> convLayers, int downsampleFactor)
    {
        long requiredAtSslRate = MinimumInputLength(tokenCount * downsampleFactor, convLayers);
        return (long)Math.Ceiling((double)requiredAtSslRate / sslSampleRate * sampleRate);
    }

    /// <summary>Mel frames of a waveform of <paramref name="audioLength"/> samples for the given STFT padding mode.</summary>
    public static long TargetMelLength(long audioLength, int hopLength, int nFft, string padding) => padding switch
    {
        "center" => audioLength / hopLength + 1,
        "same" => audioLength / hopLength,
        _ => (audioLength - nFft) / hopLength + 1,
    };
}
