// Port of kanade-tokenizer model.py _calculate_waveform_padding / _calculate_original_audio_length /
// _calculate_target_mel_length (MIT).
using System.Numerics;
using Kanade.Audio;
using Kanade.Ssl;

namespace Kanade;

/// <summary>
/// The reference's length arithmetic: how much to pad a waveform so the SSL model yields a whole number of frames,
/// how long the audio behind N tokens was, and how many mel frames a waveform has. Pure functions, in double
/// precision in the reference's order, so every length matches it exactly.
/// </summary>
public static class KanadeLengths
{
    /// <summary>Zeros to add on each side of a waveform of <paramref name="audioLength"/> samples.</summary>
    /// <param name="audioLength">Waveform length at <paramref name="sampleRate"/>.</param>
    /// <param name="sampleRate">The model's sample rate.</param>
    /// <param name="sslSampleRate">The SSL model's sample rate.</param>
    /// <param name="convLayers">The SSL feature extractor's (kernel, stride) list.</param>
    /// <param name="downsampleFactor">SSL frames per token.</param>
    /// <param name="ensureReconstructionLength">Round the frame count up to a multiple of <paramref name="downsampleFactor"/> (training).</param>
    public static int WaveformPadding(long audioLength, int sampleRate, int sslSampleRate,
        IReadOnlyList<ConvLayerSpec> convLayers, int downsampleFactor = 1, bool ensureReconstructionLength = false)
    {
        double samplesAtSslRate = (double)audioLength / sampleRate * sslSampleRate;
        long frames = (long)Math.Ceiling(samplesAtSslRate / SslFrameArithmetic.HopSize(convLayers));
        if (ensureReconstructionLength && frames % downsampleFactor != 0) frames += downsampleFactor - frames % downsampleFactor;
        long requiredAtSslRate = SslFrameArithmetic.MinimumInputLength(convLayers, frames);
        double required = (double)requiredAtSslRate / sslSampleRate * sampleRate;
        return (int)Math.Ceiling((required - audioLength) / 2);
    }

    /// <summary>
    /// SSL frames the model sees for a waveform of <paramref name="audioLength"/> samples: after
    /// <see cref="WaveformPadding"/> on each side, resampling to <paramref name="sslSampleRate"/> (torchaudio's output
    /// length, <see cref="Resampler.OutputLength"/>) and the feature extractor's convolutions.
    /// </summary>
    public static long SslFrameCount(long audioLength, int sampleRate, int sslSampleRate, IReadOnlyList<ConvLayerSpec> convLayers)
    {
        long padded = audioLength + 2L * WaveformPadding(audioLength, sampleRate, sslSampleRate, convLayers);
        return SslFramesOf(padded, sampleRate, sslSampleRate, convLayers);
    }

    /// <summary>SSL frames of <paramref name="samples"/> samples as they are (no reference padding): resampled, then convolved.</summary>
    static long SslFramesOf(long samples, int sampleRate, int sslSampleRate, IReadOnlyList<ConvLayerSpec> convLayers) =>
        SslFrameArithmetic.OutputFrames(convLayers, Resampler.OutputLength(samples, sampleRate, sslSampleRate));

    /// <summary>
    /// The length a padded batch of varied lengths is given: its longest item's <paramref name="length"/> (frames or
    /// tokens) rounded up to a multiple of max(8, 2^(floor(log2 length) - 5)), so at most 1/32 longer. A corpus of
    /// varied lengths then meets a few dozen batch shapes (32 per doubling of length) instead of one per length, and
    /// each new shape costs the GPU libraries a new plan: cuDNN builds an attention graph per shape (hundreds of
    /// milliseconds, far more than the batch's compute), cuBLAS and cuFFT pick kernels per size.
    /// </summary>
    public static long BatchLength(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        long step = Math.Max(8, (long)BitOperations.RoundUpToPowerOf2((ulong)length + 1) >> 6);
        return (length + step - 1) / step * step;
    }

    /// <summary>
    /// The length a batch of these <paramref name="lengths"/> is padded to: the longest, rounded up by
    /// <see cref="BatchLength(long)"/> when they differ.
    /// </summary>
    public static long BatchLength(IReadOnlyList<long> lengths)
    {
        long longest = lengths.Max();
        return lengths.Any(l => l != longest) ? BatchLength(longest) : longest;
    }

    /// <summary>
    /// The samples a batch of waveforms is padded to, each already holding its reference padding
    /// (<paramref name="padded"/>): the longest, or, when they differ, enough for its SSL frames rounded up by
    /// <see cref="BatchLength(long)"/>.
    /// </summary>
    public static long BatchSamples(IReadOnlyList<long> padded, int sampleRate, int sslSampleRate, IReadOnlyList<ConvLayerSpec> convLayers)
    {
        long longest = padded.Max();
        if (padded.All(p => p == longest)) return longest;
        long frames = BatchLength(SslFramesOf(longest, sampleRate, sslSampleRate, convLayers));
        return Math.Max(longest, SamplesForSslFrames(frames, sampleRate, sslSampleRate, convLayers));
    }

    /// <summary>
    /// The fewest samples (at <paramref name="sampleRate"/>, no reference padding added) from which the SSL model
    /// yields at least <paramref name="frames"/> frames: the inverse of <see cref="SslFrameCount"/>'s last two steps.
    /// </summary>
    public static long SamplesForSslFrames(long frames, int sampleRate, int sslSampleRate, IReadOnlyList<ConvLayerSpec> convLayers)
    {
        double requiredAtSslRate = SslFrameArithmetic.MinimumInputLength(convLayers, frames);
        long samples = (long)Math.Ceiling(requiredAtSslRate / sslSampleRate * sampleRate);
        // The resampler's output length rounds up, so the estimate can be a sample or two off either way.
        while (SslFramesOf(samples, sampleRate, sslSampleRate, convLayers) < frames) samples++;
        while (samples > 1 && SslFramesOf(samples - 1, sampleRate, sslSampleRate, convLayers) >= frames) samples--;
        return samples;
    }

    /// <summary>Waveform length (at <paramref name="sampleRate"/>) that <paramref name="tokenCount"/> tokens stand for.</summary>
    public static long OriginalAudioLength(long tokenCount, int sampleRate, int sslSampleRate,
        IReadOnlyList<ConvLayerSpec> convLayers, int downsampleFactor)
    {
        long requiredAtSslRate = SslFrameArithmetic.MinimumInputLength(convLayers, tokenCount * downsampleFactor);
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
