using static TorchSharp.torch;

namespace Kanade;

/// <summary>What <see cref="KanadeModel.Encode"/> returns for one utterance; each part is null when not asked for.</summary>
/// <param name="ContentTokenIndices">Content token ids, int64 (T,), in [0, vocabulary).</param>
/// <param name="ContentEmbedding">Quantized content embedding (T, D).</param>
/// <param name="GlobalEmbedding">Global (speaker) embedding (D_global,).</param>
public sealed record KanadeFeatures(Tensor? ContentTokenIndices, Tensor? ContentEmbedding, Tensor? GlobalEmbedding) : IDisposable
{
    /// <summary>Disposes the tensors held.</summary>
    public void Dispose()
    {
        ContentTokenIndices?.Dispose();
        ContentEmbedding?.Dispose();
        GlobalEmbedding?.Dispose();
    }
}
