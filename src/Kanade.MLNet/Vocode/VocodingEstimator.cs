// Vocode's estimator: the vocoder is already trained; Fit checks the schema.
using Kanade.MLNet.Schema;
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> of <see cref="KanadeCatalog.Vocode(TransformsCatalog, IVocoder, string, string, int)"/>:
/// <see cref="Fit"/> checks the input schema and returns a <see cref="VocodingTransformer"/> (nothing is trained).
/// </summary>
public sealed class VocodingEstimator : IEstimator<VocodingTransformer>
{
    readonly VocodingTransformer transformer;

    internal VocodingEstimator(IVocoder vocoder, VocodingOptions options) => transformer = new VocodingTransformer(vocoder, options);

    /// <summary>Checks <paramref name="input"/>'s schema and returns the transformer (running nothing).</summary>
    public VocodingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        transformer.CheckInputs(input.Schema);
        return transformer;
    }

    /// <summary>The input shape plus the waveform column; checks the mel column's type.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The mel column is absent or not a Vector&lt;Single&gt;.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        transformer.CheckInputs(inputSchema);
        return SchemaShapes.Extend(inputSchema, transformer.AddedColumns());
    }
}
