namespace Kanade.Cli.Tokenize;

/// <summary>
/// Groups decoded utterances into batches of similar length (little padding on the device): sorted by length, cut
/// into runs of at most <c>batchSize</c> items whose padded size (count x longest) stays within
/// <c>maxBatchSamples</c>; windowed (long) utterances go alone.
/// </summary>
internal static class LengthBuckets
{
    public static List<List<DecodedAudio>> Split(IEnumerable<DecodedAudio> items, int batchSize, long maxBatchSamples, Func<long, bool> isWindowed)
    {
        var batches = new List<List<DecodedAudio>>();
        var current = new List<DecodedAudio>();
        foreach (var item in items.OrderBy(i => i.Samples).ThenBy(i => i.Item.Index))
        {
            if (isWindowed(item.Samples))
            {
                batches.Add([item]);
                continue;
            }
            bool full = current.Count == batchSize || (current.Count > 0 && (current.Count + 1) * item.Samples > maxBatchSamples);
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
