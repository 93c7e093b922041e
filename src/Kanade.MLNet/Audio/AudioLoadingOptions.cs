// Options of LoadAudio.
namespace Kanade.MLNet;

/// <summary>Options of <see cref="KanadeCatalog.LoadAudio(Microsoft.ML.TransformsCatalog, AudioLoadingOptions)"/>.</summary>
public sealed class AudioLoadingOptions
{
    /// <summary>Column to create: the waveform, a variable-length Vector&lt;Single&gt; annotated with <see cref="KanadeAnnotations.SampleRate"/>.</summary>
    public string OutputColumnName = KanadeColumns.Waveform;

    /// <summary>Text column holding the audio file paths (absolute, or relative to <see cref="AudioRoot"/>).</summary>
    public string InputColumnName = KanadeColumns.Path;

    /// <summary>Sample rate of the waveforms produced, in Hz (the model's: <c>model.Config.SampleRate</c>, 24000 for Kanade).</summary>
    public int SampleRate = 24000;

    /// <summary>Folder that relative paths are resolved against; null for the current directory.</summary>
    public string? AudioRoot;

    /// <summary>
    /// Optional Int32 or Int64 column: the first frame to read, counted at the file's own sample rate (as the manifests'
    /// <c>length</c> column counts). Null to read from the start.
    /// </summary>
    public string? OffsetColumnName;

    /// <summary>
    /// Optional Int32 or Int64 column: frames to read from the offset, at the file's own rate; a negative value or
    /// more than remain reads to the end. Null to read to the end.
    /// </summary>
    public string? FramesColumnName;

    /// <summary>What to do with a row whose audio cannot be read.</summary>
    public AudioErrorPolicy ErrorPolicy = AudioErrorPolicy.Throw;

    /// <summary>Text column created under <see cref="AudioErrorPolicy.EmptyWithErrorColumn"/>: the error message, empty for rows that loaded.</summary>
    public string ErrorColumnName = KanadeColumns.AudioError;

    internal AudioLoadingOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputColumnName, nameof(OutputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(InputColumnName, nameof(InputColumnName));
        if (SampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "The sample rate must be positive (24000 for Kanade).");
        if (!Enum.IsDefined(ErrorPolicy)) throw new ArgumentOutOfRangeException(nameof(ErrorPolicy), ErrorPolicy, "Accepted: Throw, SkipRow, EmptyWithErrorColumn.");
        if (ErrorPolicy == AudioErrorPolicy.EmptyWithErrorColumn)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(ErrorColumnName, nameof(ErrorColumnName));
            if (ErrorColumnName == OutputColumnName)
                throw new ArgumentException($"ErrorColumnName and OutputColumnName are both '{OutputColumnName}'; name them apart.", nameof(ErrorColumnName));
        }
        return (AudioLoadingOptions)MemberwiseClone();
    }
}
