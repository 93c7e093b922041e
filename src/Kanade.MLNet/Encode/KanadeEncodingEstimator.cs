// KanadeEncode's estimator: the model is already trained; Fit checks the schema.
using Kanade.MLNet.Schema;
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> of <see cref="KanadeCatalog.KanadeEncode(TransformsCatalog, KanadeModel, string, string?, string?, int)"/>:
/// <see cref="Fit"/> checks the input schema and returns a <see cref="KanadeEncodingTransformer"/> over the given model (nothing is trained).
/// </summary>
public sealed class KanadeEncodingEstimator : IEstimator<KanadeEncodingTransformer>
{
    readonly KanadeModel model;
    readonly KanadeEncodingOptions options;

    internal KanadeEncodingEstimator(KanadeModel model, KanadeEncodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        this.model = model;
        this.options = options.Validated();
    }

    /// <summary>Checks <paramref name="input"/>'s schema and returns the transformer (running nothing).</summary>
    public KanadeEncodingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new KanadeEncodingTransformer(model, options);
        transformer.CheckInputs(input.Schema);
        return transformer;
    }

    /// <summary>The input shape plus the encoder's columns; checks the waveform column's type.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The waveform column is absent or not a Vector&lt;Single&gt;.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var transformer = new KanadeEncodingTransformer(model, options);
        transformer.CheckInputs(inputSchema);
        return SchemaShapes.Extend(inputSchema, transformer.AddedColumns());
    }
}
