using Kanade.Cli.Infrastructure;
using static TorchSharp.torch;

namespace Kanade.Cli.Bench;

/// <summary>The recording a benchmark encodes: the <c>--audio</c> clips end to end, or synthetic speech.</summary>
internal static class BenchRecording
{
    /// <summary>
    /// (samples,) float32 of <paramref name="seconds"/> at <paramref name="sampleRate"/>: the clips (each loaded at that
    /// rate) end to end, repeated and cut to length; <see cref="SyntheticSpeech"/> when there are none.
    /// </summary>
    public static Tensor Make(IReadOnlyList<string> clips, double seconds, int sampleRate)
    {
        if (clips.Count == 0) return SyntheticSpeech.Make(seconds, sampleRate);
        using var scope = NewDisposeScope();
        var joined = cat([.. clips.Select(c => AudioFile.Load(PathChecks.ExistingFile(c, "--audio"), sampleRate))], 0);
        long samples = (long)Math.Round(seconds * sampleRate);
        long repeats = (samples + joined.shape[0] - 1) / joined.shape[0];
        return joined.repeat(repeats).narrow(0, 0, samples).contiguous().MoveToOuterDisposeScope();
    }
}
