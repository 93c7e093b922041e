// Port of kanade-tokenizer data/datamodule.py AudioDataConfig (MIT). Property names are the YAML keys in PascalCase.
using Kanade.Training.Data;

namespace Kanade.Training.Config;

/// <summary>One split of <c>data.init_args</c> (<c>train_config</c>, <c>val_config</c>, <c>test_config</c>); defaults are the reference's.</summary>
public sealed record AudioDataConfig
{
    /// <summary>Manifest: <c>.csv</c> (as the reference) or <c>.parquet</c>, columns audio_id, path, length, sample_rate.</summary>
    public required string CsvPath { get; init; }
    /// <summary>Folder the manifest's paths are relative to.</summary>
    public required string AudioRoot { get; init; }

    /// <summary>Rate audio is resampled to; null keeps each file's rate.</summary>
    public int? SampleRate { get; init; } = 16000;
    /// <summary>Average the channels to one.</summary>
    public bool Mono { get; init; } = true;
    /// <summary>Peak-normalise each chunk.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>Chunk length in samples at <see cref="SampleRate"/>; null for whole files.</summary>
    public int? ChunkSize { get; init; }
    /// <summary>Distance between chunk starts; null for <see cref="ChunkSize"/>.</summary>
    public int? ChunkHopSize { get; init; }

    /// <summary>Items per batch.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Background loading threads (0 loads on the training thread).</summary>
    public int NumWorkers { get; init; } = 4;
    /// <summary>Accepted for compatibility; batches are built in ordinary memory and copied to the device.</summary>
    public bool PinMemory { get; init; }
    /// <summary>Accepted for compatibility; loader threads live for one epoch.</summary>
    public bool PersistentWorkers { get; init; }
    /// <summary>Shuffle every epoch (the train split only; validation and test keep manifest order).</summary>
    public bool Shuffle { get; init; }
    /// <summary>Drop an incomplete last batch (the train split only).</summary>
    public bool DropLast { get; init; }

    /// <summary>The dataset's options.</summary>
    public ChunkedAudioDatasetOptions ToDatasetOptions() => new()
    {
        AudioRoot = AudioRoot, ChunkSize = ChunkSize, HopSize = ChunkHopSize,
        Mono = Mono, Normalize = Normalize, TargetSampleRate = SampleRate,
    };

    /// <summary>The loader's options; evaluation splits never shuffle or drop, as in the reference.</summary>
    public AudioBatchLoaderOptions ToLoaderOptions(int seed, bool training) => new()
    {
        BatchSize = BatchSize, NumWorkers = NumWorkers, Seed = seed,
        Shuffle = training && Shuffle, DropLast = training && DropLast,
    };

    /// <summary>Checks sizes; <paramref name="split"/> (e.g. <c>train_config</c>) prefixes the message.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate(string split)
    {
        static void Require(bool condition, string message)
        {
            if (!condition) throw new ArgumentException(message);
        }
        Require(!string.IsNullOrWhiteSpace(CsvPath), $"data.{split}.csv_path is empty.");
        Require(SampleRate is null or > 0, $"data.{split}.sample_rate must be positive or null, got {SampleRate}.");
        Require(ChunkSize is null or > 0, $"data.{split}.chunk_size must be positive or null, got {ChunkSize}.");
        Require(ChunkHopSize is null or > 0, $"data.{split}.chunk_hop_size must be positive or null, got {ChunkHopSize}.");
        Require(BatchSize > 0, $"data.{split}.batch_size must be positive, got {BatchSize}.");
        Require(NumWorkers >= 0, $"data.{split}.num_workers must be 0 or more, got {NumWorkers}.");
    }
}
