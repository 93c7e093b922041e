using Kanade.Cli.Infrastructure;
using Kanade.Cli.Tokenize;
using Kanade.MLNet;
using Kanade.Tests;
using static TorchSharp.torch;

namespace Kanade.Cli.Tests;

/// <summary>The runner's pipeline with stand-in audio, encoder and writer.</summary>
[TestClass]
public sealed class TokenizeRunnerTests
{
    /// <summary>One-second silent waveforms, except that decoding item <paramref name="broken"/> throws (a bug, not a bad file).</summary>
    sealed class Silence(int broken) : IAudioSource
    {
        public long? PlannedSamples(CorpusItem item) => 24000;
        public DecodedAudio Load(CorpusItem item) => item.Index == broken
            ? throw new InvalidOperationException($"decoder bug at item {item.Index}")
            : new DecodedAudio(item, zeros(24000), 1.0, 24000, null);
    }

    sealed class CountingEncoder : IBatchEncoder
    {
        public string Device => "cpu";
        public IReadOnlyList<EncodeResult> Encode(IReadOnlyList<Tensor> waveforms) =>
            [.. waveforms.Select(_ => new EncodeResult([1, 2, 3], [0.5f], null))];
        public void Dispose() { }
    }

    /// <summary>Notes the thread of every call, after a pause that lets the decoders fall behind now and then.</summary>
    sealed class ThreadNotingEncoder : IBatchEncoder
    {
        public readonly HashSet<int> Threads = [];
        public int Batches;
        public string Device => "cpu";
        public IReadOnlyList<EncodeResult> Encode(IReadOnlyList<Tensor> waveforms)
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            Batches++;
            Thread.Sleep(2);
            return [.. waveforms.Select(_ => new EncodeResult([1, 2, 3], [0.5f], null))];
        }
        public void Dispose() { }
    }

    sealed class NoWriter : ITokenPartWriter
    {
        public string Extension => ".parquet";
        public void WritePart(string path, IReadOnlyList<KanadeTokenRow> rows) => File.WriteAllText(path, rows.Count.ToString());
        public void WriteErrors(string path, IReadOnlyList<ErrorRow> rows) => File.WriteAllText(path, rows.Count.ToString());
    }

    static TokenizeJob Job(TempDirectory folder, int items, IAudioSource audio, IReadOnlyList<Func<IBatchEncoder>> encoders)
    {
        var corpus = Enumerable.Range(0, items).Select(i => new CorpusItem(i, $"id{i}", $"f{i}.wav", $"/audio/f{i}.wav")).ToList();
        var plan = new PartPlan(corpus.Count, 8, 1, 0);
        return new TokenizeJob
        {
            Corpus = new Corpus { Items = corpus, Source = "test" },
            Plan = plan,
            Store = new OutputStore(folder.File("out"), plan, ".parquet"),
            Record = new JobRecord { Items = corpus.Count, RowsPerPart = 8 },
            Writer = new NoWriter(),
            Audio = audio,
            Encoders = encoders,
            IsWindowed = _ => false,
            BatchSize = 4,
        };
    }

    [TestMethod]
    public void EachWorkerEncodesOnOneThreadOfItsOwn()
    {
        // The GPU libraries keep per-thread plans: a worker that moved between pool threads would rebuild them.
        using var folder = new TempDirectory();
        var encoders = new[] { new ThreadNotingEncoder(), new ThreadNotingEncoder() };
        var job = Job(folder, 200, new Silence(broken: -1), [.. encoders.Select(e => (Func<IBatchEncoder>)(() => e))]);
        var summary = new TokenizeRunner(job).Run(new ProgressHandle(), CancellationToken.None);
        Assert.AreEqual("complete", summary.Status);
        Assert.AreEqual(200, summary.Files);
        Assert.AreEqual(50, encoders.Sum(e => e.Batches));
        foreach (var encoder in encoders)
            Assert.IsTrue(encoder.Threads.Count <= 1, $"one worker ran on threads {string.Join(", ", encoder.Threads)}");
        Assert.AreNotEqual(encoders[0].Threads.Single(), encoders[1].Threads.SingleOrDefault(-1), "the workers shared a thread");
    }

    [TestMethod]
    public void AFailingStageFailsTheRunWithItsOwnErrorNotAsCancelled()
    {
        using var folder = new TempDirectory();
        var job = Job(folder, 40, new Silence(broken: 21), [() => new CountingEncoder()]);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new TokenizeRunner(job).Run(new ProgressHandle(), CancellationToken.None));
        Assert.AreEqual("decoder bug at item 21", error.Message);
    }
}
