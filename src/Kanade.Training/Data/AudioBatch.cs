// Port of kanade-tokenizer data/datamodule.py AudioBatch and audio_collate_fn (MIT).
using static TorchSharp.torch;

namespace Kanade.Training.Data;

/// <summary>A collated batch; owns <see cref="Waveform"/> (dispose the batch when done).</summary>
public sealed class AudioBatch : IDisposable
{
    AudioBatch(Tensor waveform, IReadOnlyList<AudioItem> items)
    {
        Waveform = waveform;
        AudioIds = [.. items.Select(i => i.AudioId)];
        Paths = [.. items.Select(i => i.Path)];
        SampleRates = [.. items.Select(i => i.SampleRate)];
        FrameOffsets = [.. items.Select(i => i.FrameOffset)];
    }

    /// <summary>float32 (batch, channels, samples), each item zero-padded at the end to the longest.</summary>
    public Tensor Waveform { get; }
    /// <summary>Manifest id of each item.</summary>
    public IReadOnlyList<string> AudioIds { get; }
    /// <summary>File of each item.</summary>
    public IReadOnlyList<string> Paths { get; }
    /// <summary>Sample rate of each item.</summary>
    public IReadOnlyList<int> SampleRates { get; }
    /// <summary>Chunk start of each item at the target rate.</summary>
    public IReadOnlyList<long> FrameOffsets { get; }

    /// <summary>Number of items.</summary>
    public int Count => AudioIds.Count;

    /// <summary>
    /// Stacks items into (B, C, T), padding shorter waveforms with zeros at the end. Takes ownership of the
    /// items' waveforms (disposes them).
    /// </summary>
    /// <exception cref="ArgumentException">No items, or items with different channel counts.</exception>
    public static AudioBatch Collate(IReadOnlyList<AudioItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException("Cannot collate an empty batch.", nameof(items));
        long channels = items[0].Waveform.shape[0];
        var odd = items.FirstOrDefault(i => i.Waveform.shape[0] != channels);
        if (odd != null)
            throw new ArgumentException(
                $"Cannot batch '{odd.AudioId}' ({odd.Waveform.shape[0]} channels) with '{items[0].AudioId}' ({channels} channels); enable mono.", nameof(items));
        long longest = items.Max(i => i.Waveform.shape[1]);
        using var scope = NewDisposeScope();
        var padded = items.Select(i => ChunkedAudioDataset.PadEnd(i.Waveform, longest)).ToArray();
        var waveform = stack(padded).MoveToOuterDisposeScope();          // B x (C, T) -> (B, C, T)
        foreach (var item in items) item.Waveform.Dispose();
        return new AudioBatch(waveform, items);
    }

    /// <summary>Disposes the waveform.</summary>
    public void Dispose() => Waveform.Dispose();
}
