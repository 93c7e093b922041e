// KanadeDecode's estimator: the model is already trained; Fit checks the schema.
using Kanade.MLNet.Schema;
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> of <see cref="KanadeCatalog.KanadeDecode(TransformsCatalog, KanadeModel, string, string, string, string?, int)"/>:
/// <see cref="Fit"/> checks the input schema and returns a <see cref="KanadeDecodingTransformer"/> (nothing is trained).
/// </summary>
public sealed class KanadeDecodingEstimator : IEstimator<KanadeDecodingTransformer>
{
    readonly KanadeModel model;
    readonly KanadeDecodingOptions options;

    internal KanadeDecodingEstimator(KanadeModel model, KanadeDecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        this.model = model;
        this.options = options.Validated();
    }

    /// <summary>Checks <paramref name="input"/>'s schema and returns the transformer (running nothing).</summary>
    public KanadeDecodingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new KanadeDecodingTransformer(model, options);
        transformer.CheckInputs(input.Schema);
        return transformer;
    }

    /// <summary>The input shape plus the mel and frame-count columns; checks the input columns' types.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is absent or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var transformer = new KanadeDecodingTransformer(model, options);
        transformer.CheckInputs(inputSchema);
        return SchemaShapes.Extend(inputSchema, transformer.AddedColumns());
    }
}
