// One row of a Kanade token Parquet file.
namespace Kanade.MLNet;

/// <summary>One utterance's tokens as a token Parquet file stores it (see <see cref="KanadeParquetWriter"/> for the schema).</summary>
/// <param name="AudioId">Id of the recording (<c>audio_id</c>).</param>
/// <param name="Path">Its audio file (<c>path</c>).</param>
/// <param name="Tokens">Content token ids in [0, vocabulary) (<c>tokens</c>).</param>
/// <param name="GlobalEmbedding">Global embedding, GlobalDim values (<c>global_embedding</c>); NaN for rows whose audio was unreadable.</param>
/// <param name="DurationSeconds">Duration of the audio encoded, or null when unknown (<c>duration_s</c>).</param>
/// <param name="SampleRate">Sample rate of the audio encoded, or null when unknown (<c>sample_rate</c>).</param>
public sealed record KanadeTokenRow(string AudioId, string Path, int[] Tokens, float[] GlobalEmbedding, double? DurationSeconds, int? SampleRate);
