// Port of kanade-tokenizer util.py load_audio / _load_audio_internal (MIT), decoding through libsndfile as soundfile does.
using Kanade.Audio;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade;

/// <summary>
/// Audio files in and out: decoding through libsndfile (WAV, FLAC, OGG/Vorbis, Opus, MP3, AIFF...) with the float
/// conversion of Python soundfile, the reference's <c>load_audio</c>, and WAV writing. Every problem with a file
/// raises <see cref="AudioFileException"/>; a missing libsndfile raises <see cref="DllNotFoundException"/>.
/// </summary>
public static class AudioFile
{
    /// <summary>
    /// The reference's <c>load_audio</c>: decodes <paramref name="path"/>, averages the channels, resamples to
    /// <paramref name="sampleRate"/> (torchaudio <c>Resample</c> defaults) and divides by max|x| + 1e-8.
    /// </summary>
    /// <param name="path">An audio file libsndfile can read.</param>
    /// <param name="sampleRate">The wanted sample rate in Hz (24000 for Kanade).</param>
    /// <returns>(samples,) float32 on the CPU, peak about 1.</returns>
    public static Tensor Load(string path, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        // no_grad rather than inference_mode: training feeds these tensors to modules that record autograd graphs.
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        int fileRate;
        Tensor samples;                                                                        // (channels, frames)
        using (var file = SoundFile.Open(path))
        {
            fileRate = file.SampleRate;
            samples = file.Read(0, file.Frames);
        }
        if (samples.shape[1] == 0) throw new AudioFileException(path, "contains no audio frames.");
        var mono = samples.shape[0] > 1 ? samples.mean([0], keepdim: true) : samples;        // (C, T) -> (1, T)
        var resampled = fileRate == sampleRate ? mono : Resampler.Resample(mono, fileRate, sampleRate);
        var peak = resampled.abs().max() + 1e-8;
        var result = (resampled / peak).squeeze(0);                                           // (1, T') -> (T',)
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decodes frames <paramref name="offset"/> .. offset + frames of <paramref name="path"/> without resampling, with
    /// soundfile's float conversion (int16 / 32768, int24 / 2^23, int32 / 2^31, float as stored). A partial read seeks
    /// rather than decoding from the start, and returns exactly the samples a full read holds there: MP3 seeks 16 MPEG
    /// frames early and decodes forward (the bit reservoir), and Ogg/Vorbis, whose libsndfile seek is not sample-exact,
    /// decodes from the start. A file that decodes to fewer frames than its header claims raises
    /// <see cref="AudioFileException"/>.
    /// </summary>
    /// <param name="path">An audio file libsndfile can read.</param>
    /// <param name="offset">First frame to read, 0 .. the file's frame count.</param>
    /// <param name="frames">Frames to read; -1 (or more than remain) for all up to the end.</param>
    /// <returns>(channels, frames) float32 on the CPU.</returns>
    public static Tensor Read(string path, long offset = 0, long frames = -1) => Read(path, offset, frames, out _);

    /// <summary>
    /// <see cref="Read(string, long, long)"/>, also giving the file's sample rate from the same open (one header parse
    /// per segment, which matters to a training loader reading thousands of spans).
    /// </summary>
    /// <param name="path">An audio file libsndfile can read.</param>
    /// <param name="offset">First frame to read, 0 .. the file's frame count.</param>
    /// <param name="frames">Frames to read; -1 (or more than remain) for all up to the end.</param>
    /// <param name="sampleRate">The file's sample rate.</param>
    /// <returns>(channels, frames) float32 on the CPU.</returns>
    public static Tensor Read(string path, long offset, long frames, out int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, -1);
        using var file = SoundFile.Open(path);
        if (offset > file.Frames)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"'{path}' has {file.Frames} frames; offset must not exceed that.");
        sampleRate = file.SampleRate;
        long remaining = file.Frames - offset;
        long count = frames < 0 ? remaining : Math.Min(frames, remaining);
        return file.Read(offset, count);
    }

    /// <summary>Frames, sample rate, channels and format of <paramref name="path"/>, from its header alone.</summary>
    /// <param name="path">An audio file libsndfile can read.</param>
    public static AudioInfo Info(string path)
    {
        using var file = SoundFile.Open(path);
        return file.Describe();
    }

    /// <summary>
    /// Writes a WAV file through libsndfile: 16-bit PCM (x * 32768, rounded, clipped) or 32-bit float. The samples go to
    /// a temporary file in the same folder that then replaces <paramref name="path"/>, so an existing file is never left
    /// half-written.
    /// </summary>
    /// <param name="path">The WAV file to create or replace (a .flac, .mp3, .ogg... name is refused).</param>
    /// <param name="samples">(samples,) mono or (channels, samples), floating point, any device; finite values.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="encoding">Sample encoding.</param>
    public static void Write(string path, Tensor samples, int sampleRate, AudioEncoding encoding = AudioEncoding.Pcm16)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!Enum.IsDefined(encoding)) throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown encoding.");
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".flac" or ".mp3" or ".ogg" or ".opus" or ".aif" or ".aiff" or ".caf" or ".m4a")
            throw new ArgumentException($"AudioFile.Write writes WAV files; '{path}' names a {extension} file. Use a .wav name.", nameof(path));
        if (samples.dim() is not (1 or 2))
            throw new ArgumentException(
                $"samples must be (samples,) or (channels, samples); got shape [{string.Join(", ", samples.shape)}].", nameof(samples));
        if (!samples.is_floating_point())
            throw new ArgumentException($"samples must be floating point; got {samples.dtype}.", nameof(samples));
        long channels = samples.dim() == 1 ? 1 : samples.shape[0];
        if (channels is < 1 or > 1024)
            throw new ArgumentException($"samples has {channels} channels; a WAV file holds 1 to 1024.", nameof(samples));

        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        var interleaved = (samples.dim() == 1 ? samples.unsqueeze(1) : samples.t())          // (C, T) -> (T, C)
            .detach().to(float32).cpu().contiguous();
        if (!interleaved.isfinite().all().item<bool>())
            throw new ArgumentException("samples contain NaN or infinite values.", nameof(samples));
        WaveWriter.Write(path, interleaved, sampleRate, encoding);
    }
}
