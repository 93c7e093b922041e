// The training loop's position, saved in every checkpoint so a resumed run continues where the saved one was.
using System.Text.Json;

namespace Kanade.Training.Fit;

/// <summary>Where the loop stands: epoch, batches of it consumed, the seed in effect and the latest validation metrics.</summary>
sealed record LoopState
{
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Epoch in progress (0-based).</summary>
    public int Epoch { get; init; }
    /// <summary>Batches of <see cref="Epoch"/> already trained on.</summary>
    public long BatchesInEpoch { get; init; }
    /// <summary>The run's seed (drawn at the start when the config has none).</summary>
    public int Seed { get; init; }
    /// <summary>Global step of the latest validation (-1 for none).</summary>
    public long LastValidationStep { get; init; } = -1;
    /// <summary>The latest logged metrics (what ModelCheckpoint monitors).</summary>
    public Dictionary<string, double> Metrics { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static LoopState FromJson(string? json, string path) =>
        json is null ? throw new InvalidDataException($"'{path}' holds no training-loop state; it was not written by kanade fit.")
            : JsonSerializer.Deserialize<LoopState>(json, Json) ?? throw new InvalidDataException($"'{path}': empty training-loop state.");
}
