using Kanade.Cli.Tokenize;

namespace Kanade.Cli.Tests;

/// <summary>Batches planned from header lengths before decoding: sorted over whole parts, the same in every run.</summary>
[TestClass]
public sealed class BatchPlannerTests
{
    /// <summary>Lengths by item index; null for a file whose header cannot be read.</summary>
    sealed class HeaderLengths(IReadOnlyDictionary<int, long?> samples)
    {
        public int Probes;
        public long? PlannedSamples(CorpusItem item) { Interlocked.Increment(ref Probes); return samples[item.Index]; }
    }

    static List<CorpusItem> Corpus(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new CorpusItem(i, $"id{i}", $"f{i}.wav", $"/audio/f{i}.wav"))];

    static List<List<int>> Batches(IEnumerable<PlannedItem> plan)
    {
        var planned = plan.ToList();
        var batches = new List<List<int>>();
        int? current = null;
        foreach (var item in planned)
        {
            if (item.Batch != current) batches.Add([]);
            current = item.Batch;
            batches[^1].Add(item.Item.Index);
            Assert.AreEqual(item.Members, planned.Count(p => p.Batch == item.Batch), $"batch {item.Batch} size");
        }
        return batches;
    }

    [TestMethod]
    public void EachPartIsSortedByLengthAsAWholeThenCutAndHandedOutLongestFirst()
    {
        // Part 0 holds items 0-6, part 1 items 7-9; lengths in a mixed order, with one tie (items 1 and 4).
        long?[] lengths = [70, 20, 90, 10, 20, 50, 30, 900, 100, 500];
        var audio = new HeaderLengths(lengths.Select((l, i) => (i, l)).ToDictionary(p => p.i, p => p.l));
        var planner = new BatchPlanner(Corpus(10), new PartPlan(10, 7, 1, 0), audio.PlannedSamples, batchSize: 3, maxBatchSamples: 10_000,
                                       isWindowed: _ => false, threads: 2);
        var planned = planner.Items([0, 1], CancellationToken.None).ToList();
        // Cut shortest first (ties by corpus index), handed out longest batch first; a part's batches never take items of another part.
        CollectionAssert.AreEqual(new[] { 2, 6, 5, 0, 3, 1, 4, 8, 9, 7 }, planned.Select(p => p.Item.Index).ToArray());
        var batches = Batches(planned);
        Assert.AreEqual("2|6,5,0|3,1,4|8,9,7", string.Join("|", batches.Select(b => string.Join(",", b))));
        Assert.AreEqual(batches.Count, planned.Select(p => p.Batch).Distinct().Count(), "one id per batch");
    }

    [TestMethod]
    public void LongUnreadableAndOversizedItemsFollowTheLimits()
    {
        long?[] lengths = [40, null, 30, 5_000, 35, 41];
        var audio = new HeaderLengths(lengths.Select((l, i) => (i, l)).ToDictionary(p => p.i, p => p.l));
        // Windowed from 1,000 samples; at most 100 padded samples per batch (two of 40, not three).
        var planner = new BatchPlanner(Corpus(6), new PartPlan(6, 6, 1, 0), audio.PlannedSamples, batchSize: 8, maxBatchSamples: 100,
                                       isWindowed: s => s >= 1_000, threads: 3);
        var batches = Batches(planner.Items([0], CancellationToken.None));
        Assert.AreEqual("0,5|3|2,4|1", string.Join("|", batches.Select(b => string.Join(",", b))));
    }

    [TestMethod]
    public void BatchesOfOneKeepCorpusOrderWithoutReadingHeaders()
    {
        var audio = new HeaderLengths(Enumerable.Range(0, 5).ToDictionary(i => i, i => (long?)(100 - i)));
        var planner = new BatchPlanner(Corpus(5), new PartPlan(5, 2, 1, 0), audio.PlannedSamples, batchSize: 1, maxBatchSamples: 10_000,
                                       isWindowed: _ => false, threads: 2);
        var planned = planner.Items([0, 1, 2], CancellationToken.None).ToList();
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4 }, planned.Select(p => p.Item.Index).ToArray());
        Assert.IsTrue(planned.All(p => p.Members == 1));
        Assert.AreEqual(0, audio.Probes);
    }

    [TestMethod]
    public void HeadersGiveTheSamplesDecodingReturns()
    {
        // The fixture clips: WAV, FLAC, OGG, MP3 at several rates, resampled to the model's 24 kHz by Load.
        var source = new FileAudioSource(24000, minimumSamples: 1);
        foreach (string clip in Kanade.Tests.Fixtures.ClipFiles)
        {
            var item = new CorpusItem(0, clip, clip, Kanade.Tests.Fixtures.Audio(clip));
            var decoded = source.Load(item);
            Assert.IsNull(decoded.Error, clip);
            Assert.AreEqual(decoded.Samples, source.PlannedSamples(item), clip);
            decoded.Waveform!.Dispose();
        }
        Assert.IsNull(source.PlannedSamples(new CorpusItem(0, "missing", "missing.wav", "/nonexistent/missing.wav")));
    }
}
