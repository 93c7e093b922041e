// Port of the DataLoader arguments of kanade-tokenizer data/datamodule.py AudioDataConfig (MIT).
namespace Kanade.Training.Data;

/// <summary>Batching of an <see cref="AudioBatchLoader"/>; defaults are the reference's where it has one.</summary>
public sealed record AudioBatchLoaderOptions
{
    /// <summary>Items per batch.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Visit chunks in a new random order every epoch.</summary>
    public bool Shuffle { get; init; }
    /// <summary>Drop the last batch of an epoch when it is incomplete.</summary>
    public bool DropLast { get; init; }
    /// <summary>Seed of the shuffle; the order of epoch e depends only on (seed, e).</summary>
    public int Seed { get; init; }
    /// <summary>Threads decoding items in the background; 0 loads on the caller's thread.</summary>
    public int NumWorkers { get; init; } = 4;
    /// <summary>Batches ready and waiting at most (the bounded channel's capacity) when loading in the background.</summary>
    public int PrefetchBatches { get; init; } = 2;
}
