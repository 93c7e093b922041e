// Port of kanade-tokenizer data/dataset.py ChunkedAudioDataset and its preprocessing helpers (MIT).
using static TorchSharp.torch;

namespace Kanade.Training.Data;

/// <summary>
/// Cuts every manifest file into fixed-size chunks (counted at the target rate) and loads them on demand:
/// chunks start every hop, a last chunk is aligned to the end of the file when the hops do not reach it,
/// files no longer than a chunk give one chunk that is zero-padded on load. Loading reads only the chunk's
/// span at the file's own rate, mixes to mono, resamples, normalises, then pads, as the reference does.
/// </summary>
public sealed class ChunkedAudioDataset
{
    const double NormalizeEpsilon = 1e-8;

    readonly Dictionary<string, AudioManifestEntry> entries;
    readonly AudioSegmentReader reader;
    readonly WaveformResampler? resampler;

    /// <summary>Builds the chunk list of <paramref name="manifest"/>.</summary>
    /// <param name="manifest">Files, e.g. from <see cref="AudioManifest.Read"/>.</param>
    /// <param name="options">Chunking and preprocessing.</param>
    /// <param name="reader">Decodes a span of a file.</param>
    /// <param name="resampler">Resamples; required when <see cref="ChunkedAudioDatasetOptions.TargetSampleRate"/> differs from a file's rate.</param>
    /// <exception cref="ArgumentException">Bad sizes, repeated ids, or a file needs resampling and none was given.</exception>
    public ChunkedAudioDataset(IReadOnlyList<AudioManifestEntry> manifest, ChunkedAudioDatasetOptions options,
        AudioSegmentReader reader, WaveformResampler? resampler = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reader);
        if (options.ChunkSize is <= 0)
            throw new ArgumentException($"chunk_size must be positive or null, got {options.ChunkSize}.", nameof(options));
        if (options.HopSize is <= 0)
            throw new ArgumentException($"chunk_hop_size must be positive or null, got {options.HopSize}.", nameof(options));
        if (options.TargetSampleRate is <= 0)
            throw new ArgumentException($"sample_rate must be positive or null, got {options.TargetSampleRate}.", nameof(options));
        Options = options;
        this.reader = reader;
        this.resampler = resampler;

        entries = new Dictionary<string, AudioManifestEntry>(StringComparer.Ordinal);
        foreach (var entry in manifest)
        {
            if (entry.SampleRate <= 0)
                throw new ArgumentException($"Manifest entry '{entry.AudioId}' has sample_rate {entry.SampleRate}; expected a positive rate.", nameof(manifest));
            if (!entries.TryAdd(entry.AudioId, entry))
                throw new ArgumentException($"Manifest audio_id '{entry.AudioId}' appears more than once.", nameof(manifest));
            if (resampler is null && options.TargetSampleRate is int target && target != entry.SampleRate)
                throw new ArgumentException(
                    $"'{entry.Path}' is at {entry.SampleRate} Hz and the dataset's sample_rate is {target} Hz, but no resampler was given.", nameof(resampler));
        }
        Chunks = [.. manifest.SelectMany(ChunksOf)];
    }

    /// <summary>The options it was built with.</summary>
    public ChunkedAudioDatasetOptions Options { get; }

    /// <summary>Every chunk, file by file in manifest order.</summary>
    public IReadOnlyList<AudioChunk> Chunks { get; }

    /// <summary>Number of chunks.</summary>
    public int Count => Chunks.Count;

    /// <summary>The chunks of one file (reference: <c>_compute_chunks</c>).</summary>
    IEnumerable<AudioChunk> ChunksOf(AudioManifestEntry entry)
    {
        long length = entry.Length;
        if (Options.TargetSampleRate is int target && target != entry.SampleRate)
            length = ScaleFrames(length, target, entry.SampleRate);

        if (Options.ChunkSize is not int chunk || length <= chunk)
        {
            yield return new AudioChunk(entry.AudioId, 0, length);
            yield break;
        }
        int hop = Options.HopSize ?? chunk;
        long offset = 0;
        for (; offset + chunk <= length; offset += hop)
            yield return new AudioChunk(entry.AudioId, offset, chunk);
        long lastStart = length - chunk;
        if (lastStart > offset - hop)                  // the hops stopped short of the end
            yield return new AudioChunk(entry.AudioId, lastStart, chunk);
    }

    /// <summary>
    /// Loads chunk <paramref name="index"/>: (channels, samples) float32 at the target rate, padded with zeros
    /// to the chunk size when the file is shorter. The caller owns the returned waveform.
    /// </summary>
    public AudioItem this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var chunk = Chunks[index];
            var entry = entries[chunk.AudioId];
            string path = Path.Combine(Options.AudioRoot, entry.Path);

            long offset = chunk.FrameOffset, count = chunk.FrameCount;
            if (Options.TargetSampleRate is int target && target != entry.SampleRate)
            {
                offset = ScaleFrames(chunk.FrameOffset, entry.SampleRate, target);
                count = ScaleFrames(chunk.FrameCount, entry.SampleRate, target);
            }

            using var scope = NewDisposeScope();
            var (samples, rate) = reader(path, offset, count);
            if (samples.dim() != 2)
                throw new InvalidDataException($"The audio reader returned shape [{string.Join(", ", samples.shape)}] for '{path}'; expected (channels, frames).");
            var waveform = samples.to(float32);
            if (Options.Mono && waveform.shape[0] > 1)
                waveform = waveform.mean([0], keepdim: true);                         // (C, T) -> (1, T)
            if (Options.TargetSampleRate is int targetRate && rate != targetRate)
            {
                if (resampler is null)
                    throw new InvalidOperationException($"'{path}' decoded at {rate} Hz, the dataset needs {targetRate} Hz, and no resampler was given.");
                waveform = resampler(waveform, rate, targetRate);
                rate = targetRate;
            }
            if (Options.Normalize)
                waveform = waveform / (waveform.abs().max() + NormalizeEpsilon);
            if (Options.ChunkSize is int chunkSize && waveform.shape[1] < chunkSize)
                waveform = PadEnd(waveform, chunkSize);
            return new AudioItem(waveform.MoveToOuterDisposeScope(), chunk.AudioId, path, rate, chunk.FrameOffset);
        }
    }

    /// <summary>Zero-pads (channels, samples) at the end to <paramref name="length"/> samples (reference: <c>pad_audio</c>).</summary>
    public static Tensor PadEnd(Tensor waveform, long length)
    {
        long missing = length - waveform.shape[^1];
        return missing <= 0 ? waveform.alias() : nn.functional.pad(waveform, [0, missing]);
    }

    // Python's int(frames * to / from): exact product, correctly rounded quotient, truncated.
    static long ScaleFrames(long frames, int toRate, int fromRate) => (long)((double)checked(frames * toRate) / fromRate);
}
