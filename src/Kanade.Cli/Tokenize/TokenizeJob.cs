using Kanade.Cli.Infrastructure;

namespace Kanade.Cli.Tokenize;

/// <summary>Everything a tokenize run needs, built by the command from its options (or by a test).</summary>
internal sealed class TokenizeJob
{
    public required Corpus Corpus { get; init; }
    public required PartPlan Plan { get; init; }
    public required OutputStore Store { get; init; }
    public required JobRecord Record { get; init; }
    public required ITokenPartWriter Writer { get; init; }
    public required IAudioSource Audio { get; init; }
    /// <summary>One factory per device; each worker builds its encoder on its own thread.</summary>
    public required IReadOnlyList<Func<IBatchEncoder>> Encoders { get; init; }
    /// <summary>Whether an utterance of so many samples is encoded in windows (alone in its batch).</summary>
    public required Func<long, bool> IsWindowed { get; init; }
    public int BatchSize { get; init; } = 8;
    public long MaxBatchSamples { get; init; } = 24000L * 240;
    public int DecodeThreads { get; init; } = 2;
    /// <summary>Errors tolerated before the run stops (negative: no limit).</summary>
    public int MaxErrors { get; init; } = 100;
    public bool Overwrite { get; init; }
    public IReadOnlyList<string> DeviceNames { get; init; } = ["cpu"];
    public TokenizeHooks? Hooks { get; init; }
}
