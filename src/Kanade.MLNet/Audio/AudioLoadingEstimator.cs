// LoadAudio's estimator: nothing to learn; checks the schema and hands out its transformer.
using Kanade.MLNet.Schema;
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> of <see cref="KanadeCatalog.LoadAudio(TransformsCatalog, string, string, int, string?, AudioErrorPolicy)"/>:
/// <see cref="Fit"/> checks the input schema and returns an <see cref="AudioLoadingTransformer"/>.
/// </summary>
public sealed class AudioLoadingEstimator : IEstimator<AudioLoadingTransformer>
{
    readonly AudioLoadingTransformer transformer;

    internal AudioLoadingEstimator(AudioLoadingOptions options) => transformer = new AudioLoadingTransformer(options);

    /// <summary>Checks <paramref name="input"/>'s schema and returns the transformer (reading no audio).</summary>
    public AudioLoadingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        transformer.CheckInputs(input.Schema);
        return transformer;
    }

    /// <summary>The input shape plus the waveform column (and the error column); checks the input columns' types.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is absent or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        transformer.CheckInputs(inputSchema);
        return SchemaShapes.Extend(inputSchema, transformer.AddedColumns());
    }
}
