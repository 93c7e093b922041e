// Options of Vocode.
namespace Kanade.MLNet;

/// <summary>Options of <see cref="KanadeCatalog.Vocode(Microsoft.ML.TransformsCatalog, IVocoder, VocodingOptions)"/>.</summary>
public sealed class VocodingOptions : KanadeBatchingOptions
{
    /// <summary>Input: a mel spectrogram, a Vector&lt;Single&gt; of n_mels x frames in row-major order (KanadeDecode's output),
    /// n_mels being the vocoder's <see cref="IVocoder.MelBins"/>.</summary>
    public string InputColumnName = KanadeColumns.Mel;

    /// <summary>Output: the waveform, a variable-length Vector&lt;Single&gt; at the vocoder's rate (annotated with <see cref="KanadeAnnotations.SampleRate"/>).</summary>
    public string OutputColumnName = KanadeColumns.Resynthesized;

    internal VocodingOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(InputColumnName, nameof(InputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputColumnName, nameof(OutputColumnName));
        ValidateBatching();
        return (VocodingOptions)MemberwiseClone();
    }
}
