// One row of a kanade-tokenizer dataset manifest (script/dump_dataset.py's CSV columns, MIT).
namespace Kanade.Training.Data;

/// <summary>One audio file of a manifest: <c>audio_id,path,length,sample_rate</c>.</summary>
/// <param name="AudioId">Unique id (the file stem, suffixed on collisions).</param>
/// <param name="Path">Path relative to the dataset's audio root (or absolute).</param>
/// <param name="Length">Frames in the file at its own rate.</param>
/// <param name="SampleRate">The file's sample rate in Hz.</param>
public sealed record AudioManifestEntry(string AudioId, string Path, long Length, int SampleRate);
