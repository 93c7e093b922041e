namespace Kanade.MLNet.Encode;

/// <summary>One row's encoder outputs in managed memory (parts not asked for are empty).</summary>
/// <param name="Tokens">Token ids (T,).</param>
/// <param name="GlobalEmbedding">Global embedding (D_global,), NaN for an empty waveform.</param>
/// <param name="ContentEmbedding">Content embedding (T x D, row-major).</param>
internal sealed record EncodedRow(int[] Tokens, float[] GlobalEmbedding, float[] ContentEmbedding);
