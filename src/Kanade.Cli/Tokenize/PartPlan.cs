namespace Kanade.Cli.Tokenize;

/// <summary>
/// Cuts the corpus into parts of <see cref="RowsPerPart"/> consecutive items and deals whole parts to shards
/// (part p to shard p mod N). A part's content depends only on the corpus and the part size, so shards write the
/// same files an unsharded run would: their union is the unsharded output, with nothing twice.
/// </summary>
internal sealed class PartPlan
{
    /// <summary>Items per part (the last may be shorter).</summary>
    public int RowsPerPart { get; }
    /// <summary>Items in the whole corpus.</summary>
    public int ItemCount { get; }
    /// <summary>Shards the corpus is split into.</summary>
    public int ShardCount { get; }
    /// <summary>The shard this run writes, 0-based.</summary>
    public int Shard { get; }

    public PartPlan(int itemCount, int rowsPerPart, int shardCount, int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowsPerPart);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        if (shard < 0 || shard >= shardCount) throw new ArgumentOutOfRangeException(nameof(shard), shard, $"--shard must lie in 0..{shardCount - 1}.");
        (ItemCount, RowsPerPart, ShardCount, Shard) = (itemCount, rowsPerPart, shardCount, shard);
    }

    /// <summary>Parts of the whole corpus.</summary>
    public int PartCount => (ItemCount + RowsPerPart - 1) / RowsPerPart;

    /// <summary>The parts this shard writes, in order.</summary>
    public IEnumerable<int> ShardParts() => Enumerable.Range(0, PartCount).Where(p => p % ShardCount == Shard);

    /// <summary>The item indices of part <paramref name="part"/>.</summary>
    public (int First, int Count) Items(int part)
    {
        int first = part * RowsPerPart;
        return (first, Math.Min(RowsPerPart, ItemCount - first));
    }

    /// <summary>The part holding item <paramref name="index"/>.</summary>
    public int PartOf(int index) => index / RowsPerPart;
}
