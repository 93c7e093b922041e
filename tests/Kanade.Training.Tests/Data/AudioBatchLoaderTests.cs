using Kanade.Training.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Data;

[TestClass]
public sealed class AudioBatchLoaderTests
{
    // Ten one-chunk files "f0".."f9" of 1..10 samples; whole files, so batches need padding.
    static (ChunkedAudioDataset Dataset, SyntheticAudio Audio) TenFiles(AudioSegmentReader? reader = null)
    {
        var audio = new SyntheticAudio();
        var manifest = Enumerable.Range(0, 10).Select(i => audio.Add($"f{i}", i + 1, 24000)).ToList();
        return (new ChunkedAudioDataset(manifest, new() { AudioRoot = "root", Normalize = false }, reader ?? audio.Read), audio);
    }

    static List<string[]> Ids(AudioBatchLoader loader, int epoch, int skip = 0)
    {
        var ids = new List<string[]>();
        foreach (var batch in loader.Epoch(epoch, skip))
            using (batch) ids.Add([.. batch.AudioIds]);
        return ids;
    }

    [TestMethod]
    public void DropLastDropsTheIncompleteBatch()
    {
        var (dataset, _) = TenFiles();
        Assert.AreEqual(4, new AudioBatchLoader(dataset, new() { BatchSize = 3, NumWorkers = 0 }).BatchesPerEpoch);
        var dropping = new AudioBatchLoader(dataset, new() { BatchSize = 3, DropLast = true, NumWorkers = 0 });
        Assert.AreEqual(3, dropping.BatchesPerEpoch);
        CollectionAssert.AreEqual(new[] { "f6", "f7", "f8" }, Ids(dropping, 0)[^1]);
    }

    [TestMethod]
    public void CollationPadsShorterItemsWithZerosAtTheEnd()
    {
        var (dataset, _) = TenFiles();
        var loader = new AudioBatchLoader(dataset, new() { BatchSize = 3, NumWorkers = 0 });
        using var batch = loader.Epoch(0).First();     // files of 1, 2, 3 samples
        CollectionAssert.AreEqual(new long[] { 3, 1, 3 }, batch.Waveform.shape);
        CollectionAssert.AreEqual(new float[] { 1, 0, 0, 1, 2, 0, 1, 2, 3 }, batch.Waveform.data<float>().ToArray());
        CollectionAssert.AreEqual(new long[] { 0, 0, 0 }, batch.FrameOffsets.ToArray());
    }

    [TestMethod]
    public void SeededShuffleIsAPermutationThatChangesEachEpochAndRepeatsAcrossLoaders()
    {
        var (dataset, _) = TenFiles();
        var options = new AudioBatchLoaderOptions { BatchSize = 4, Shuffle = true, Seed = 42, NumWorkers = 0 };
        var first = new AudioBatchLoader(dataset, options);
        var again = new AudioBatchLoader(dataset, options);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 10).ToArray(), first.Order(0).ToArray());
        CollectionAssert.AreEqual(first.Order(3).ToArray(), again.Order(3).ToArray());
        CollectionAssert.AreNotEqual(first.Order(0).ToArray(), first.Order(1).ToArray());
        CollectionAssert.AreNotEqual(first.Order(0).ToArray(), new AudioBatchLoader(dataset, options with { Seed = 7 }).Order(0).ToArray());
        CollectionAssert.AreNotEqual(Enumerable.Range(0, 10).ToArray(), first.Order(0).ToArray());
    }

    [TestMethod]
    public void BackgroundWorkersGiveTheSameBatchesAsTheCallersThread()
    {
        var (dataset, _) = TenFiles();
        var options = new AudioBatchLoaderOptions { BatchSize = 3, Shuffle = true, Seed = 1, NumWorkers = 0 };
        var sequential = new List<float[]>();
        foreach (var batch in new AudioBatchLoader(dataset, options).Epoch(2))
            using (batch) sequential.Add(batch.Waveform.data<float>().ToArray());
        var background = new List<float[]>();
        foreach (var batch in new AudioBatchLoader(dataset, options with { NumWorkers = 3, PrefetchBatches = 1 }).Epoch(2))
            using (batch) background.Add(batch.Waveform.data<float>().ToArray());
        Assert.HasCount(4, background);
        for (int i = 0; i < sequential.Count; i++)
            CollectionAssert.AreEqual(sequential[i], background[i], $"batch {i}");
    }

    [TestMethod]
    public void ResumingSkipsTheBatchesAlreadySeen()
    {
        var (dataset, _) = TenFiles();
        var loader = new AudioBatchLoader(dataset, new() { BatchSize = 3, Shuffle = true, Seed = 5, NumWorkers = 2 });
        var whole = Ids(loader, 1);
        var resumed = Ids(loader, 1, skip: 2);
        Assert.HasCount(2, resumed);
        CollectionAssert.AreEqual(whole[2], resumed[0]);
        CollectionAssert.AreEqual(whole[3], resumed[1]);
    }

    [TestMethod]
    public void BackgroundLoadErrorReachesTheConsumerNamingTheChunk()
    {
        SyntheticAudio? audio = null;
        (Tensor, int) Failing(string path, long offset, long count) =>
            path.EndsWith("f4.wav") ? throw new IOException("disk gone") : audio!.Read(path, offset, count);
        var (dataset, synthetic) = TenFiles(Failing);
        audio = synthetic;
        var loader = new AudioBatchLoader(dataset, new() { BatchSize = 2, NumWorkers = 2 });
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Ids(loader, 0));
        StringAssert.Contains(error.Message, "Loading chunk 4 (audio_id 'f4', samples 0..5) failed: disk gone");
    }

    [TestMethod]
    public void StoppingEarlyStopsTheProducer()
    {
        var (dataset, audio) = TenFiles();
        var loader = new AudioBatchLoader(dataset, new() { BatchSize = 1, NumWorkers = 1, PrefetchBatches = 1 });
        foreach (var batch in loader.Epoch(0))
        {
            batch.Dispose();
            break;
        }
        int readsAfterStop = audio.Reads.Count;
        Thread.Sleep(50);
        // One batch consumed, at most one queued and one in flight when the consumer left; nothing after.
        Assert.IsLessThanOrEqualTo(3, readsAfterStop);
        Assert.AreEqual(readsAfterStop, audio.Reads.Count);
    }
}
