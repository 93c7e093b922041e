using System.Text.Json.Serialization;

namespace Kanade.Cli.Tokenize;

/// <summary>
/// What a committed part holds (<c>_parts/part-NNNNN.json</c>, written after the part file is in place): the
/// figures a resumed run adds to its summary, and the part's failed files.
/// </summary>
internal sealed class PartRecord
{
    [JsonPropertyName("part")] public int Part { get; set; }
    [JsonPropertyName("rows")] public int Rows { get; set; }
    [JsonPropertyName("audio_seconds")] public double AudioSeconds { get; set; }
    [JsonPropertyName("tokens")] public long Tokens { get; set; }
    [JsonPropertyName("errors")] public List<ErrorRow> Errors { get; set; } = [];
}

/// <summary>The settings that decide a job's output (<c>_job.json</c>); a rerun into the same folder must match them.</summary>
internal sealed record JobRecord
{
    [JsonPropertyName("format")] public int Format { get; init; } = 1;
    [JsonPropertyName("corpus")] public string Corpus { get; init; } = "";
    [JsonPropertyName("corpus_sha256")] public string CorpusSha256 { get; init; } = "";
    [JsonPropertyName("items")] public int Items { get; init; }
    [JsonPropertyName("rows_per_part")] public int RowsPerPart { get; init; }
    [JsonPropertyName("config_sha256")] public string ConfigSha256 { get; init; } = "";
    [JsonPropertyName("weights")] public string Weights { get; init; } = "";
    [JsonPropertyName("window_seconds")] public double WindowSeconds { get; init; }
    [JsonPropertyName("window_context_seconds")] public double WindowContextSeconds { get; init; }
    [JsonPropertyName("precision")] public string Precision { get; init; } = "fp32";
}

/// <summary>The JSON summary of a run (<c>summary.json</c>).</summary>
internal sealed class TokenizeSummary
{
    [JsonPropertyName("status")] public string Status { get; set; } = "";
    [JsonPropertyName("shard")] public int Shard { get; set; }
    [JsonPropertyName("num_shards")] public int NumShards { get; set; }
    [JsonPropertyName("parts")] public int Parts { get; set; }
    [JsonPropertyName("parts_skipped")] public int PartsSkipped { get; set; }
    [JsonPropertyName("files")] public long Files { get; set; }
    [JsonPropertyName("errors")] public long Errors { get; set; }
    [JsonPropertyName("hours")] public double Hours { get; set; }
    [JsonPropertyName("tokens")] public long Tokens { get; set; }
    [JsonPropertyName("wall_seconds")] public double WallSeconds { get; set; }
    [JsonPropertyName("run_files")] public long RunFiles { get; set; }
    [JsonPropertyName("run_hours")] public double RunHours { get; set; }
    [JsonPropertyName("audio_hours_per_hour")] public double AudioHoursPerHour { get; set; }
    [JsonPropertyName("files_per_second")] public double FilesPerSecond { get; set; }
    [JsonPropertyName("devices")] public List<string> Devices { get; set; } = [];
    /// <summary>Seconds each stage worked or waited, summed over its threads (<see cref="StageClock"/>).</summary>
    [JsonPropertyName("stage_seconds")] public Dictionary<string, double> StageSeconds { get; set; } = [];
}
