namespace Kanade.Cli.Tokenize;

/// <summary>
/// Groups utterances into batches of similar length (little padding on the device): sorted by length (ties by corpus
/// index, so the cut never depends on arrival order), cut into runs of at most <c>batchSize</c> items whose padded size
/// (count x longest) stays within <c>maxBatchSamples</c>; windowed (long) utterances go alone.
/// </summary>
internal static class LengthBuckets
{
    /// <param name="items">The utterances.</param>
    /// <param name="samples">Each one's length in samples at the model rate.</param>
    /// <param name="index">Each one's corpus index.</param>
    /// <param name="batchSize">Items per batch at most.</param>
    /// <param name="maxBatchSamples">Padded samples per batch at most (a longer single item still gets its own batch).</param>
    /// <param name="isWindowed">Whether an utterance of so many samples is encoded in windows, alone.</param>
    public static List<List<T>> Split<T>(IEnumerable<T> items, Func<T, long> samples, Func<T, int> index, int batchSize,
                                         long maxBatchSamples, Func<long, bool> isWindowed)
    {
        var batches = new List<List<T>>();
        var current = new List<T>();
        foreach (var item in items.OrderBy(samples).ThenBy(index))
        {
            long length = samples(item);
            if (isWindowed(length))
            {
                batches.Add([item]);
                continue;
            }
            bool full = current.Count == batchSize || (current.Count > 0 && (current.Count + 1) * length > maxBatchSamples);
            if (full)
            {
                batches.Add(current);
                current = [];
            }
            current.Add(item);
        }
        if (current.Count > 0) batches.Add(current);
        return batches;
    }
}
