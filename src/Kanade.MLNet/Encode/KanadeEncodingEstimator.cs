// KanadeEncode's estimator: the model is already trained; Fit checks the schema.
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> of <see cref="KanadeCatalog.KanadeEncode(TransformsCatalog, KanadeModel, string, string?, string?, int)"/>:
/// <see cref="KanadeEstimator{TTransformer}.Fit"/> checks the input schema and returns a <see cref="KanadeEncodingTransformer"/> over the given model (nothing is trained).
/// </summary>
public sealed class KanadeEncodingEstimator : KanadeEstimator<KanadeEncodingTransformer>
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

    private protected override KanadeEncodingTransformer Transformer() => new(model, options);
}
