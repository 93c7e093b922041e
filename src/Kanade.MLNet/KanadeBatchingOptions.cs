// The batching knobs shared by KanadeEncode, KanadeDecode and Vocode.
namespace Kanade.MLNet;

/// <summary>How a model step groups rows: it reads <see cref="ReadAheadRows"/> rows, runs them in forward passes of
/// <see cref="BatchSize"/> on the model's device, and hands the rows out in their input order.</summary>
public abstract class KanadeBatchingOptions
{
    /// <summary>Rows per forward pass (padded to the longest and masked, so each row's result equals its own single run).</summary>
    public int BatchSize = 8;

    /// <summary>Rows read ahead and computed before the first of them is handed out (at least <see cref="BatchSize"/>).</summary>
    public int ReadAheadRows = 32;

    /// <summary>Group rows of similar duration inside the read-ahead window (less padding); the output order is unchanged.</summary>
    public bool SortByDuration = true;

    internal void ValidateBatching()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (ReadAheadRows < 1) throw new ArgumentOutOfRangeException(nameof(ReadAheadRows), ReadAheadRows, "ReadAheadRows must be at least 1.");
    }

    /// <summary>The window: at least one batch.</summary>
    internal int Window => Math.Max(ReadAheadRows, BatchSize);

    /// <summary>The batches of one window: item indices, grouped by length when <see cref="SortByDuration"/> is set.</summary>
    internal IEnumerable<int[]> Batches(IReadOnlyList<long> lengths, Func<int, bool> include)
    {
        var order = Enumerable.Range(0, lengths.Count).Where(include);
        if (SortByDuration) order = order.OrderByDescending(i => lengths[i]).ThenBy(i => i);
        return order.Chunk(BatchSize);
    }
}
