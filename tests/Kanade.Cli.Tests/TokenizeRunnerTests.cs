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

    sealed class NoWriter : ITokenPartWriter
    {
        public string Extension => ".parquet";
        public void WritePart(string path, IReadOnlyList<KanadeTokenRow> rows) => File.WriteAllText(path, rows.Count.ToString());
        public void WriteErrors(string path, IReadOnlyList<ErrorRow> rows) => File.WriteAllText(path, rows.Count.ToString());
    }

    [TestMethod]
    public void AFailingStageFailsTheRunWithItsOwnErrorNotAsCancelled()
    {
        using var folder = new TempDirectory();
        var items = Enumerable.Range(0, 40).Select(i => new CorpusItem(i, $"id{i}", $"f{i}.wav", $"/audio/f{i}.wav")).ToList();
        var plan = new PartPlan(items.Count, 8, 1, 0);
        var job = new TokenizeJob
        {
            Corpus = new Corpus { Items = items, Source = "test" },
            Plan = plan,
            Store = new OutputStore(folder.File("out"), plan, ".parquet"),
            Record = new JobRecord { Items = items.Count, RowsPerPart = 8 },
            Writer = new NoWriter(),
            Audio = new Silence(broken: 21),
            Encoders = [() => new CountingEncoder()],
            IsWindowed = _ => false,
            BatchSize = 4,
        };
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new TokenizeRunner(job).Run(new ProgressHandle(), CancellationToken.None));
        Assert.AreEqual("decoder bug at item 21", error.Message);
    }
}
