// What LoadAudio does with a file it cannot read.
namespace Kanade.MLNet;

/// <summary>What <see cref="AudioLoadingTransformer"/> does with a row whose audio cannot be read (missing, not audio, truncated...).</summary>
public enum AudioErrorPolicy
{
    /// <summary>Throw an <see cref="AudioFileException"/> naming the path and the row (the default).</summary>
    Throw,
    /// <summary>Leave the row out of the output (the row count becomes unknown until read).</summary>
    SkipRow,
    /// <summary>Emit an empty waveform and the error message in a Text column (<see cref="AudioLoadingOptions.ErrorColumnName"/>).</summary>
    EmptyWithErrorColumn,
}
