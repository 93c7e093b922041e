using System.Diagnostics;

namespace Kanade.Cli.Tokenize;

/// <summary>
/// Where a tokenize run's time goes: seconds each stage spent working and waiting, summed over its threads, for
/// <c>summary.json</c> and <c>kanade bench tokenize</c>. Encoders that wait on batches mean the feeding is behind;
/// decoders that wait on the queue mean the devices are.
/// </summary>
internal sealed class StageClock
{
    /// <summary>Stage names in report order.</summary>
    public static readonly string[] Stages =
    [
        "plan", "decode", "decode_waiting_for_queue", "batch_waiting_for_decode", "encode", "encode_waiting_for_batches", "commit",
    ];

    readonly long[] ticks = new long[Stages.Length];

    /// <summary>Runs <paramref name="body"/> and adds its duration to <paramref name="stage"/>.</summary>
    public T Time<T>(string stage, Func<T> body)
    {
        long start = Stopwatch.GetTimestamp();
        try { return body(); }
        finally { Add(stage, start); }
    }

    /// <summary>Awaits <paramref name="body"/> and adds its duration to <paramref name="stage"/>.</summary>
    public async ValueTask<T> TimeAsync<T>(string stage, ValueTask<T> body)
    {
        long start = Stopwatch.GetTimestamp();
        try { return await body; }
        finally { Add(stage, start); }
    }

    /// <summary>Awaits <paramref name="body"/> and adds its duration to <paramref name="stage"/>.</summary>
    public async ValueTask TimeAsync(string stage, ValueTask body)
    {
        long start = Stopwatch.GetTimestamp();
        try { await body; }
        finally { Add(stage, start); }
    }

    /// <summary>Seconds per stage, rounded to milliseconds.</summary>
    public Dictionary<string, double> Seconds() =>
        Stages.Select((name, i) => (name, Math.Round(Stopwatch.GetElapsedTime(0, Interlocked.Read(ref ticks[i])).TotalSeconds, 3)))
              .ToDictionary(p => p.name, p => p.Item2);

    void Add(string stage, long start)
    {
        int index = Array.IndexOf(Stages, stage);
        if (index < 0) throw new ArgumentException($"Unknown stage '{stage}'.", nameof(stage));
        Interlocked.Add(ref ticks[index], Stopwatch.GetTimestamp() - start);
    }
}
