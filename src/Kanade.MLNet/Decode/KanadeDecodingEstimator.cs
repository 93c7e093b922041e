// KanadeDecode's estimator: the model is already trained; Fit checks the schema.
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> of <see cref="KanadeCatalog.KanadeDecode(TransformsCatalog, KanadeModel, string, string, string, string?, int)"/>:
/// <see cref="KanadeEstimator{TTransformer}.Fit"/> checks the input schema and returns a <see cref="KanadeDecodingTransformer"/> (nothing is trained).
/// </summary>
public sealed class KanadeDecodingEstimator : KanadeEstimator<KanadeDecodingTransformer>
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

    private protected override KanadeDecodingTransformer Transformer() => new(model, options);
}
