// Vocode's estimator: the vocoder is already trained; Fit checks the schema.
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> of <see cref="KanadeCatalog.Vocode(TransformsCatalog, IVocoder, string, string, int)"/>:
/// <see cref="KanadeEstimator{TTransformer}.Fit"/> checks the input schema and returns a <see cref="VocodingTransformer"/> (nothing is trained).
/// </summary>
public sealed class VocodingEstimator : KanadeEstimator<VocodingTransformer>
{
    readonly VocodingTransformer transformer;

    internal VocodingEstimator(IVocoder vocoder, VocodingOptions options) => transformer = new VocodingTransformer(vocoder, options);

    private protected override VocodingTransformer Transformer() => transformer;
}
