// The training example's lengths (kanade-tokenizer pipeline.py __init__, MIT) over KanadeLengths, plus the
// up-front audio_length check the reference lacks.
using Kanade.Ssl;

namespace Kanade.Training;

/// <summary>Length arithmetic of a training example: SSL padding and frame count, target mel length.</summary>
public static class TrainingLengths
{
    /// <summary>Sample rate of every supported SSL model (WavLM, HuBERT, wav2vec 2.0 bundles).</summary>
    public const int SslSampleRate = 16000;

    /// <summary>The feature-extractor convolutions of <paramref name="ssl"/> (its explicit params, else the standard stack).</summary>
    public static IReadOnlyList<ConvLayerSpec> SslConvLayers(SslFeatureExtractorOptions ssl)
    {
        ArgumentNullException.ThrowIfNull(ssl);
        return ssl.Params is { } architecture ? SslFrameArithmetic.ConvLayers(architecture) : SslFrameArithmetic.DefaultConvLayers;
    }

    /// <summary>
    /// Zeros added on each side of a waveform of <paramref name="audioLength"/> samples so the SSL model
    /// yields exactly ceil(length at the SSL rate / hop) frames (the reference's arithmetic, in doubles).
    /// </summary>
    public static int WaveformPadding(int audioLength, int sampleRate, IReadOnlyList<ConvLayerSpec> convLayers, int sslSampleRate = SslSampleRate) =>
        KanadeLengths.WaveformPadding(audioLength, sampleRate, sslSampleRate, convLayers);

    /// <summary>
    /// SSL frames the model sees for <paramref name="audioLength"/> samples: after <see cref="WaveformPadding"/>,
    /// resampling to <paramref name="sslSampleRate"/> (torchaudio's output length) and the convolutions.
    /// </summary>
    public static long SslFrameCount(int audioLength, int sampleRate, IReadOnlyList<ConvLayerSpec> convLayers, int sslSampleRate = SslSampleRate) =>
        KanadeLengths.SslFrameCount(audioLength, sampleRate, sslSampleRate, convLayers);

    /// <summary>Mel frames of the training target for <paramref name="audioLength"/> samples.</summary>
    public static int TargetMelLength(int audioLength, KanadeModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return checked((int)KanadeLengths.TargetMelLength(audioLength, config.HopLength, config.NFft, config.Padding));
    }

    /// <summary>
    /// Fails unless the SSL frame count of <paramref name="audioLength"/> divides by <c>downsample_factor</c>
    /// (otherwise the down- and up-sampled features come back shorter than the real ones and the reference
    /// fails deep inside the loss). The message suggests the nearest lengths that work.
    /// </summary>
    /// <exception cref="ArgumentException">The length does not fit.</exception>
    public static void ValidateAudioLength(int audioLength, KanadeModelConfig config, SslFeatureExtractorOptions ssl)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (audioLength <= 0)
            throw new ArgumentException($"pipeline_config.audio_length must be a positive number of samples, got {audioLength}.");
        var conv = SslConvLayers(ssl);
        int factor = config.DownsampleFactor;
        bool Fits(int length) => SslFrameCount(length, config.SampleRate, conv) % factor == 0;
        if (factor <= 1 || Fits(audioLength)) return;

        long frames = SslFrameCount(audioLength, config.SampleRate, conv);
        string nearest = string.Join(" or ", NearestFittingLengths(audioLength, config.SampleRate, conv, factor, Fits));
        throw new ArgumentException(
            $"pipeline_config.audio_length = {audioLength} samples gives {frames} SSL frames at {config.SampleRate} Hz, " +
            $"which is not a multiple of model_config.downsample_factor = {factor}: the reconstructed SSL features would be " +
            $"shorter than the real ones. Use an audio_length whose frame count divides by {factor}, e.g. {nearest}.");
    }

    // Whole tokens' worth of samples (hop x factor at the model's rate) when that is an integer, else the
    // nearest lengths found by scanning.
    static IEnumerable<int> NearestFittingLengths(int audioLength, int sampleRate, IReadOnlyList<ConvLayerSpec> conv, int factor, Func<int, bool> fits)
    {
        long hop = SslFrameArithmetic.HopSize(conv);
        long scaled = hop * factor * sampleRate;
        if (scaled % SslSampleRate == 0)
        {
            long block = scaled / SslSampleRate;
            long lower = audioLength / block * block;
            var candidates = new[] { lower, lower + block }.Where(l => l > 0 && l <= int.MaxValue && fits((int)l)).Select(l => (int)l).ToList();
            if (candidates.Count > 0) return candidates;
        }
        int below = audioLength - 1;
        while (below > 0 && !fits(below)) below--;
        int above = audioLength + 1;
        while (!fits(above)) above++;
        return below > 0 ? [below, above] : [above];
    }
}
