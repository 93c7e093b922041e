// What an audio file's header says, read without decoding the samples.
namespace Kanade;

/// <summary>The header of an audio file as libsndfile reports it (see <see cref="AudioFile.Info"/>).</summary>
public sealed record AudioInfo
{
    /// <summary>The file.</summary>
    public required string Path { get; init; }

    /// <summary>Number of frames (samples per channel).</summary>
    public required long Frames { get; init; }

    /// <summary>Samples per second per channel.</summary>
    public required int SampleRate { get; init; }

    /// <summary>Number of channels.</summary>
    public required int Channels { get; init; }

    /// <summary>Container format, named as Python soundfile names it: <c>WAV</c>, <c>WAVEX</c>, <c>FLAC</c>, <c>OGG</c>, <c>MPEG</c>...</summary>
    public required string Format { get; init; }

    /// <summary>Sample encoding, named as Python soundfile names it: <c>PCM_16</c>, <c>PCM_24</c>, <c>FLOAT</c>, <c>VORBIS</c>, <c>OPUS</c>, <c>MPEG_LAYER_III</c>...</summary>
    public required string Subtype { get; init; }

    /// <summary>libsndfile's description of the container, e.g. "WAV (Microsoft)".</summary>
    public required string FormatDescription { get; init; }

    /// <summary>libsndfile's description of the encoding, e.g. "Signed 16 bit PCM".</summary>
    public required string SubtypeDescription { get; init; }

    /// <summary>Duration: <see cref="Frames"/> / <see cref="SampleRate"/>.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);

    /// <summary>Duration in seconds: <see cref="Frames"/> / <see cref="SampleRate"/>.</summary>
    public double DurationSeconds => SampleRate > 0 ? (double)Frames / SampleRate : 0;
}
