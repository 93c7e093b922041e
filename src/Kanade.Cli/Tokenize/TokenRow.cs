using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Kanade.Cli.Tokenize;

/// <summary>
/// One row of a token part file as <see cref="ParquetTokenPartWriter.ReadPart"/> reads it back, every column of
/// <c>KanadeParquetWriter</c>'s schema included: audio_id, path, tokens (list&lt;int32&gt;), num_tokens,
/// global_embedding (list&lt;float&gt;), duration_s and sample_rate (the file's own; nullable columns). Rows are
/// written as <see cref="Kanade.MLNet.KanadeTokenRow"/>s.
/// </summary>
internal sealed class TokenRow
{
    [JsonPropertyName("audio_id"), ParquetRequired] public string AudioId { get; set; } = "";
    [JsonPropertyName("path"), ParquetRequired] public string Path { get; set; } = "";
    [JsonPropertyName("tokens")] public int[] Tokens { get; set; } = [];
    [JsonPropertyName("num_tokens")] public int NumTokens { get; set; }
    [JsonPropertyName("global_embedding")] public float[] GlobalEmbedding { get; set; } = [];
    [JsonPropertyName("duration_s")] public double? DurationSeconds { get; set; }
    [JsonPropertyName("sample_rate")] public int? SampleRate { get; set; }
}

/// <summary>One file that could not be tokenized: a row of <c>errors.parquet</c>.</summary>
internal sealed class ErrorRow
{
    [JsonPropertyName("audio_id")] public string AudioId { get; set; } = "";
    [JsonPropertyName("path")] public string Path { get; set; } = "";
    [JsonPropertyName("reason")] public string Reason { get; set; } = "";
}
