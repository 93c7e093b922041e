// Port of kanade-tokenizer data/dataset.py AudioItem (MIT).
using static TorchSharp.torch;

namespace Kanade.Training.Data;

/// <summary>One loaded chunk. The caller owns <see cref="Waveform"/>.</summary>
/// <param name="Waveform">float32 (channels, samples); channels is 1 when the dataset mixes to mono.</param>
/// <param name="AudioId">The file's manifest id.</param>
/// <param name="Path">The file read (audio root joined with the manifest path).</param>
/// <param name="SampleRate">Rate of <see cref="Waveform"/>.</param>
/// <param name="FrameOffset">First sample of the chunk at the target rate.</param>
public sealed record AudioItem(Tensor Waveform, string AudioId, string Path, int SampleRate, long FrameOffset);
