using System.Collections.Concurrent;
using Kanade.Training.Data;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Data;

/// <summary>
/// In-memory "files" for dataset tests: each path holds (channels, frames) samples; reads are recorded.
/// Sample j of channel c is (j + 1) * (c + 1) unless given explicitly.
/// </summary>
sealed class SyntheticAudio
{
    readonly Dictionary<string, (float[,] Samples, int Rate)> files = new();

    /// <summary>(path, offset, count) of every read, in any order when read from several threads.</summary>
    public ConcurrentQueue<(string Path, long Offset, long Count)> Reads { get; } = new();

    public AudioManifestEntry Add(string id, long frames, int rate, int channels = 1)
    {
        var samples = new float[channels, frames];
        for (int c = 0; c < channels; c++)
            for (long j = 0; j < frames; j++)
                samples[c, j] = (j + 1) * (c + 1);
        return Add(id, samples, rate);
    }

    public AudioManifestEntry Add(string id, float[,] samples, int rate)
    {
        files[Path.Combine("root", id + ".wav")] = (samples, rate);
        return new AudioManifestEntry(id, id + ".wav", samples.GetLength(1), rate);
    }

    public (Tensor Samples, int SampleRate) Read(string path, long offset, long count)
    {
        Reads.Enqueue((path, offset, count));
        var (samples, rate) = files[path];
        int channels = samples.GetLength(0);
        long frames = samples.GetLength(1);
        long end = Math.Min(frames, offset + count);
        var span = new float[channels, Math.Max(0, end - offset)];
        for (int c = 0; c < channels; c++)
            for (long j = offset; j < end; j++)
                span[c, j - offset] = samples[c, j];
        return (tensor(span), rate);
    }

    /// <summary>A stand-in resampler for integer down-sampling ratios: keeps every k-th sample.</summary>
    public static Tensor Decimate(Tensor waveform, int fromRate, int toRate) =>
        waveform[TensorIndex.Colon, TensorIndex.Slice(0, null, fromRate / toRate)].contiguous();
}
