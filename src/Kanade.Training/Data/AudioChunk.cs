// Port of kanade-tokenizer data/dataset.py ChunkInfo (MIT).
namespace Kanade.Training.Data;

/// <summary>A span of one manifest file, in samples at the dataset's target rate.</summary>
/// <param name="AudioId">The file's manifest id.</param>
/// <param name="FrameOffset">First sample, at the target rate.</param>
/// <param name="FrameCount">Samples, at the target rate.</param>
public sealed record AudioChunk(string AudioId, long FrameOffset, long FrameCount);
