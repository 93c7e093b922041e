// Port of the dataset arguments of kanade-tokenizer data/dataset.py ChunkedAudioDataset (MIT).
namespace Kanade.Training.Data;

/// <summary>How <see cref="ChunkedAudioDataset"/> cuts and prepares audio; defaults are the reference's.</summary>
public sealed record ChunkedAudioDatasetOptions
{
    /// <summary>Folder that manifest paths are relative to.</summary>
    public string AudioRoot { get; init; } = "";
    /// <summary>Chunk length in samples at the target rate; null for whole files.</summary>
    public int? ChunkSize { get; init; }
    /// <summary>Distance between chunk starts in target-rate samples; null for <see cref="ChunkSize"/> (no overlap).</summary>
    public int? HopSize { get; init; }
    /// <summary>Average the channels to one.</summary>
    public bool Mono { get; init; } = true;
    /// <summary>Divide each chunk by its max |sample| + 1e-8.</summary>
    public bool Normalize { get; init; } = true;
    /// <summary>Resample to this rate; null keeps each file's rate.</summary>
    public int? TargetSampleRate { get; init; }
}
