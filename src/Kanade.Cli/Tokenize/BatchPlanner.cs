namespace Kanade.Cli.Tokenize;

/// <summary>One corpus item in decode order, with the planned batch it belongs to.</summary>
/// <param name="Item">The corpus item.</param>
/// <param name="Batch">Id of its batch, unique within the run.</param>
/// <param name="Members">Items in that batch.</param>
internal sealed record PlannedItem(CorpusItem Item, int Batch, int Members);

/// <summary>
/// Cuts each part into batches before anything is decoded, from the lengths the files' headers give
/// (<see cref="IAudioSource.PlannedSamples"/>): the whole part sorted by length and cut by <see cref="LengthBuckets"/> (handed out longest batch first),
/// so a batch's items differ in length by about the part's spread over its number of batches (a 5-15 s corpus in
/// parts of 4,096: under 0.2 s) rather than a decode window's (1.25 s for windows of eight batches of 64, which padded
/// the device's work by 7%). A batch's members depend only on the part's files, never on decode timing: batched
/// floats depend on a batch's members, and a part must come out the same in every run and in every shard.
/// </summary>
/// <param name="corpus">Every item of the corpus.</param>
/// <param name="parts">How the corpus is cut into parts.</param>
/// <param name="plannedSamples">Each item's length before decoding (<see cref="IAudioSource.PlannedSamples"/>).</param>
/// <param name="batchSize">Items per batch at most (1: corpus order, no headers read).</param>
/// <param name="maxBatchSamples">Padded samples per batch at most.</param>
/// <param name="isWindowed">Whether an utterance of so many samples is encoded in windows, alone.</param>
/// <param name="threads">Headers read at once.</param>
internal sealed class BatchPlanner(IReadOnlyList<CorpusItem> corpus, PartPlan parts, Func<CorpusItem, long?> plannedSamples, int batchSize,
                                   long maxBatchSamples, Func<long, bool> isWindowed, int threads)
{
    int nextBatch;

    /// <summary>The planner of <paramref name="job"/>'s corpus, parts, audio source and batch limits; header reads timed as <c>plan</c>.</summary>
    public static BatchPlanner For(TokenizeJob job, StageClock clock) =>
        new(job.Corpus.Items, job.Plan, item => clock.Time("plan", () => job.Audio.PlannedSamples(item)),
            job.BatchSize, job.MaxBatchSamples, job.IsWindowed, job.DecodeThreads);

    /// <summary>
    /// Every item of the parts <paramref name="partIds"/>, part by part, batch by batch. The next part's headers are read while
    /// this part's items are decoded.
    /// </summary>
    public IEnumerable<PlannedItem> Items(IReadOnlyList<int> partIds, CancellationToken token)
    {
        Task<List<List<CorpusItem>>>? next = partIds.Count > 0 ? Plan(partIds[0], token) : null;
        for (int i = 0; i < partIds.Count; i++)
        {
            var batches = next!.GetAwaiter().GetResult();
            next = i + 1 < partIds.Count ? Plan(partIds[i + 1], token) : null;
            foreach (var batch in batches)
            {
                int id = nextBatch++;
                foreach (var item in batch) yield return new PlannedItem(item, id, batch.Count);
            }
        }
    }

    Task<List<List<CorpusItem>>> Plan(int part, CancellationToken token) => Task.Run(() =>
    {
        var (first, count) = parts.Items(part);
        var items = corpus.Skip(first).Take(count).ToArray();
        if (batchSize == 1) return items.Select(item => new List<CorpusItem> { item }).ToList();
        var samples = new long?[items.Length];
        Parallel.For(0, items.Length, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = token },
            i => samples[i] = plannedSamples(items[i]));
        // A file whose header cannot be read goes alone: decoding it reports why.
        var unreadable = Enumerable.Range(0, items.Length).Where(i => samples[i] is null).Select(i => new List<CorpusItem> { items[i] });
        var readable = Enumerable.Range(0, items.Length).Where(i => samples[i] is not null);
        // Longest batch first: the device's memory pool is sized by the part's first batch and the shorter ones after it
        // reuse those blocks. Shortest first made every batch a little larger than any block the pool had cached, so it grew
        // to the whole device (139 GB on an H200, where longest first peaks at 21 GB); and a batch too large for the device
        // now fails at the start of a part, not at its end.
        return LengthBuckets.Split(readable, i => samples[i]!.Value, i => items[i].Index, batchSize, maxBatchSamples, isWindowed)
            .Select(batch => batch.Select(i => items[i]).ToList())
            .Reverse()
            .Concat(unreadable).ToList();
    }, token);
}
