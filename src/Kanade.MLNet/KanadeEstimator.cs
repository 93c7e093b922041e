// The IEstimator side every Kanade step shares: nothing to learn, so Fit and GetOutputSchema only check the schema.
using Kanade.MLNet.Schema;
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// What the estimators of the Kanade steps (<see cref="AudioLoadingEstimator"/>, <see cref="KanadeEncodingEstimator"/>,
/// <see cref="KanadeDecodingEstimator"/>, <see cref="VocodingEstimator"/>) have in common: the model or vocoder is
/// already trained, so <see cref="Fit"/> checks the input schema and returns the step's transformer.
/// </summary>
/// <typeparam name="TTransformer">The step's transformer.</typeparam>
public abstract class KanadeEstimator<TTransformer> : IEstimator<TTransformer> where TTransformer : KanadeTransformer
{
    private protected KanadeEstimator() { }

    /// <summary>Checks <paramref name="input"/>'s schema and returns the transformer (nothing is trained, read or run).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is absent or of the wrong type.</exception>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = Transformer();
        transformer.CheckInputs(input.Schema);
        return transformer;
    }

    /// <summary>The input shape plus the step's columns; checks the input columns' types.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is absent or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var transformer = Transformer();
        transformer.CheckInputs(inputSchema);
        return SchemaShapes.Extend(inputSchema, transformer.AddedColumns());
    }

    /// <summary>The transformer <see cref="Fit"/> hands out (a new one per call, or the same one, as the step chooses).</summary>
    private protected abstract TTransformer Transformer();
}
