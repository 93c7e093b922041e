// LoadAudio's estimator: nothing to learn; checks the schema and hands out its transformer.
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> of <see cref="KanadeCatalog.LoadAudio(TransformsCatalog, string, string, int, string?, AudioErrorPolicy)"/>:
/// <see cref="KanadeEstimator{TTransformer}.Fit"/> checks the input schema and returns an <see cref="AudioLoadingTransformer"/>.
/// </summary>
public sealed class AudioLoadingEstimator : KanadeEstimator<AudioLoadingTransformer>
{
    readonly AudioLoadingTransformer transformer;

    internal AudioLoadingEstimator(AudioLoadingOptions options) => transformer = new AudioLoadingTransformer(options);

    private protected override AudioLoadingTransformer Transformer() => transformer;
}
