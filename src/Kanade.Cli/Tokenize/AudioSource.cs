using Kanade.Audio;
using static TorchSharp.torch;

namespace Kanade.Cli.Tokenize;

/// <summary>A decoded file, or why it could not be decoded.</summary>
/// <param name="Item">The corpus item.</param>
/// <param name="Waveform">(samples,) float32 on the CPU at the model rate, or null on error.</param>
/// <param name="DurationSeconds">The file's duration (its frames over its sample rate).</param>
/// <param name="SampleRate">The file's own sample rate.</param>
/// <param name="Error">Why the file is skipped, or null.</param>
internal sealed record DecodedAudio(CorpusItem Item, Tensor? Waveform, double DurationSeconds, int SampleRate, string? Error)
{
    /// <summary>Samples of the decoded waveform (0 on error).</summary>
    public long Samples => Waveform?.shape[0] ?? 0;
}

/// <summary>Turns a corpus item into a waveform at the model rate: the seam where ML.NET's LoadAudio can plug in.</summary>
internal interface IAudioSource
{
    /// <summary>Decodes <paramref name="item"/>; never throws for a bad file, returning the reason instead.</summary>
    DecodedAudio Load(CorpusItem item);

    /// <summary>
    /// The samples <see cref="Load"/> will return for <paramref name="item"/>, from what can be known without decoding
    /// (a file's header), or null when that cannot be read; used to plan batches before decoding.
    /// </summary>
    long? PlannedSamples(CorpusItem item);
}

/// <summary>
/// <see cref="AudioFile.Load"/> (the reference's load_audio: mono, resampled, peak-normalised) with the checks that
/// turn an unreadable, empty or too-short file into an error row. With <c>pinMemory</c> (encoding on CUDA) the
/// waveform is moved to pinned memory here, on the decode threads, so a GPU worker's batch crosses to the device
/// without a host-side copy or a stream synchronisation (<see cref="KanadeModel.EncodeBatch"/>).
/// </summary>
internal sealed class FileAudioSource(int sampleRate, long minimumSamples, bool pinMemory = false) : IAudioSource
{
    /// <inheritdoc/>
    public long? PlannedSamples(CorpusItem item)
    {
        try
        {
            var info = AudioFile.Info(item.FullPath);
            return info.SampleRate > 0 ? Resampler.OutputLength(info.Frames, info.SampleRate, sampleRate) : null;
        }
        catch (Exception e) when (IsUnreadableFile(e))
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public DecodedAudio Load(CorpusItem item)
    {
        try
        {
            var info = AudioFile.Info(item.FullPath);
            if (info.Frames == 0) return new DecodedAudio(item, null, 0, info.SampleRate, "the file holds no audio frames");
            var waveform = AudioFile.Load(item.FullPath, sampleRate);
            if (waveform.shape[0] < minimumSamples)
            {
                long samples = waveform.shape[0];
                waveform.Dispose();
                return new DecodedAudio(item, null, info.DurationSeconds, info.SampleRate,
                    $"too short: {samples} samples at {sampleRate} Hz, the model needs at least {minimumSamples}");
            }
            if (pinMemory)
            {
                using var pageable = waveform;
                waveform = pageable.pin_memory();
            }
            return new DecodedAudio(item, waveform, info.DurationSeconds, info.SampleRate, null);
        }
        catch (Exception e) when (IsUnreadableFile(e))
        {
            return new DecodedAudio(item, null, 0, 0, e is AudioFileException audio ? audio.Problem : e.Message);
        }
    }

    /// <summary>What a bad or missing file raises, as against a bug.</summary>
    static bool IsUnreadableFile(Exception e) =>
        e is AudioFileException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException;
}
