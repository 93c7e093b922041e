using System.Text.Json;
using Kanade.Cli.Tokenize;
using Kanade.MLNet;
using Kanade.Tests;
using static TorchSharp.torch;

namespace Kanade.Cli.Tests;

/// <summary><c>tokenize</c> end to end on the tiny model over the fixture clips.</summary>
[TestClass]
public sealed class TokenizeTests
{
    static KanadeModel Model => CliHarness.TinyModel;

    static TokenizeSummary Summary(string output, string name = "summary.json") =>
        JsonSerializer.Deserialize<TokenizeSummary>(File.ReadAllText(Path.Combine(output, name)))!;

    [TestMethod]
    public void PartTokensEqualKanadeModelEncode()
    {
        using var corpus = new TokenizeCorpus();
        string output = corpus.Output();
        CliHarness.Run(corpus.Args(output, "--batch-size", "1", "--rows-per-part", "4")).Expect(0);
        CollectionAssert.AreEqual(new[] { "part-00000.parquet", "part-00001.parquet" }, TokenizeCorpus.PartFiles(output));
        var rows = TokenizeCorpus.Rows(output);
        CollectionAssert.AreEqual(Fixtures.ClipFiles.Select(Fixtures.ClipName).ToArray(), rows.Select(r => r.AudioId).ToArray());
        foreach (var row in rows)
        {
            string file = Path.Combine(corpus.Audio, row.Path);
            using var expected = Model.Encode(AudioFile.Load(file, Model.Config.SampleRate));
            TensorAssert.Equal(tensor(row.Tokens), expected.ContentTokenIndices!, row.AudioId + " tokens");
            TensorAssert.Identical(tensor(row.GlobalEmbedding), expected.GlobalEmbedding!, row.AudioId + " global embedding");
            Assert.AreEqual(row.Tokens.Length, row.NumTokens);
            var info = AudioFile.Info(file);
            Assert.AreEqual(info.SampleRate, row.SampleRate!.Value, row.AudioId);
            Assert.AreEqual(info.DurationSeconds, row.DurationSeconds!.Value, 1e-12, row.AudioId);
        }
        var summary = Summary(output);
        Assert.AreEqual(("complete", 6L, 0L, rows.Sum(r => (long)r.NumTokens)), (summary.Status, summary.Files, summary.Errors, summary.Tokens));
        Assert.IsTrue(File.Exists(Path.Combine(output, "_SUCCESS")));
        Assert.IsFalse(File.Exists(Path.Combine(output, "errors.parquet")));
    }

    [TestMethod]
    public void BatchedPartsAgreeWithSingleUtteranceEncode()
    {
        using var corpus = new TokenizeCorpus();
        string output = corpus.Output();
        CliHarness.Run(corpus.Args(output, "--batch-size", "6")).Expect(0);
        long same = 0, total = 0;
        foreach (var row in TokenizeCorpus.Rows(output))
        {
            using var expected = Model.Encode(AudioFile.Load(Path.Combine(corpus.Audio, row.Path), Model.Config.SampleRate));
            Assert.AreEqual(expected.ContentTokenIndices!.shape[0], row.Tokens.Length, row.AudioId);
            same += tensor(row.Tokens).to(int64).eq(expected.ContentTokenIndices!).sum().item<long>();
            total += row.Tokens.Length;
            TensorAssert.Close(tensor(row.GlobalEmbedding), expected.GlobalEmbedding!, TensorAssert.Shallow, row.AudioId + " global embedding");
        }
        Assert.IsGreaterThanOrEqualTo(0.999, (double)same / total, $"{same} of {total} tokens agree");
        Assert.IsTrue(Summary(output).StageSeconds.ContainsKey("plan"), "batches of six are planned from the headers, and that time is reported");
    }

    [TestMethod]
    public void PartsAreKanadeTokenFilesWithTheModelsMetadata()
    {
        using var corpus = new TokenizeCorpus();
        string output = corpus.Output();
        CliHarness.Run(corpus.Args(output)).Expect(0);
        var metadata = KanadeParquet.ReadMetadata(Path.Combine(output, "part-00000.parquet"));
        Assert.AreEqual(12.5, metadata.TokenRate);
        Assert.AreEqual(12800, metadata.VocabularySize);
        CollectionAssert.AreEqual(new[] { 8, 8, 8, 5, 5 }, metadata.FsqLevels.ToArray());
        Assert.AreEqual(Model.GlobalDim, metadata.GlobalDim);
        Assert.AreEqual("model", metadata.ModelConfig);
        Assert.AreEqual(64, metadata.WeightsSha256.Length);
        // The ML.NET reader sees every row.
        var view = KanadeParquet.Load(new Microsoft.ML.MLContext(1), output);
        long count = 0;
        using (var cursor = view.GetRowCursor(view.Schema)) while (cursor.MoveNext()) count++;
        Assert.AreEqual(6L, count);
    }

    [TestMethod]
    public void ManifestInputKeepsManifestOrderIdsAndRoot()
    {
        using var corpus = new TokenizeCorpus();
        string manifest = corpus.File("manifest.csv"), output = corpus.Output();
        File.WriteAllText(manifest, "audio_id,path,length,sample_rate\nsecond,short_24k.wav,6001,24000\nfirst,espeak_default_22k.wav,85537,22050\n");
        CliHarness.Run(["tokenize", .. CliHarness.Model, "-i", manifest, "--audio-root", corpus.Audio, "-o", output]).Expect(0);
        var rows = TokenizeCorpus.Rows(output);
        CollectionAssert.AreEqual(new[] { "second", "first" }, rows.Select(r => r.AudioId).ToArray());
        CollectionAssert.AreEqual(new[] { "short_24k.wav", "espeak_default_22k.wav" }, rows.Select(r => r.Path).ToArray());
    }

    [TestMethod]
    public void ResumeAfterAnInterruptionGivesExactlyTheUninterruptedOutput()
    {
        using var corpus = new TokenizeCorpus();
        string whole = corpus.Output("whole"), resumed = corpus.Output("resumed");
        CliHarness.Run(corpus.Args(whole, "--rows-per-part", "2")).Expect(0);

        using var stop = new CancellationTokenSource();
        var hooks = new TokenizeHooks { PartCommitted = _ => stop.Cancel() };
        var interrupted = CliHarness.Run(corpus.Args(resumed, "--rows-per-part", "2"), hooks, stop.Token).Expect(1);
        StringAssert.Contains(interrupted.Error, "cancelled");
        Assert.AreEqual(1, TokenizeCorpus.PartFiles(resumed).Count, "one part committed before the stop");
        Assert.IsFalse(File.Exists(Path.Combine(resumed, "_SUCCESS")));
        Assert.AreEqual("cancelled", Summary(resumed).Status);
        // What a run killed while writing leaves behind: a hidden temporary, never a visible part.
        string stale = Path.Combine(resumed, ".part-00002.parquet.12345-0123456789abcdef.tmp");
        File.WriteAllBytes(stale, [1, 2, 3]);

        CliHarness.Run(corpus.Args(resumed, "--rows-per-part", "2")).Expect(0);
        Assert.AreEqual(1, Summary(resumed).PartsSkipped);
        Assert.IsFalse(File.Exists(stale));
        var parts = TokenizeCorpus.PartFiles(whole);
        CollectionAssert.AreEqual(parts, TokenizeCorpus.PartFiles(resumed));
        foreach (string part in parts)
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(whole, part)), File.ReadAllBytes(Path.Combine(resumed, part)), part);
        Assert.AreEqual(Summary(whole).Tokens, Summary(resumed).Tokens);
    }

    [TestMethod]
    public void ShardsTogetherWriteExactlyTheUnshardedParts()
    {
        using var corpus = new TokenizeCorpus();
        string whole = corpus.Output("whole"), sharded = corpus.Output("sharded");
        CliHarness.Run(corpus.Args(whole, "--rows-per-part", "2")).Expect(0);
        CliHarness.Run(corpus.Args(sharded, "--rows-per-part", "2", "--num-shards", "2", "--shard", "1")).Expect(0);
        CollectionAssert.AreEqual(new[] { "part-00001.parquet" }, TokenizeCorpus.PartFiles(sharded));
        CliHarness.Run(corpus.Args(sharded, "--rows-per-part", "2", "--num-shards", "2", "--shard", "0")).Expect(0);

        var parts = TokenizeCorpus.PartFiles(whole);
        CollectionAssert.AreEqual(parts, TokenizeCorpus.PartFiles(sharded));
        foreach (string part in parts)
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(whole, part)), File.ReadAllBytes(Path.Combine(sharded, part)), part);
        var ids = TokenizeCorpus.Rows(sharded).Select(r => r.AudioId).ToList();
        CollectionAssert.AreEquivalent(TokenizeCorpus.Rows(whole).Select(r => r.AudioId).ToList(), ids);
        Assert.AreEqual(ids.Count, ids.Distinct().Count());
        var first = Summary(sharded, "summary.shard-00000-of-00002.json");
        var second = Summary(sharded, "summary.shard-00001-of-00002.json");
        Assert.AreEqual((2, 1), (first.Parts, second.Parts));
        Assert.AreEqual(6L, first.Files + second.Files);
        Assert.IsTrue(File.Exists(Path.Combine(sharded, "_SUCCESS.shard-00000-of-00002")));
        Assert.IsTrue(File.Exists(Path.Combine(sharded, "_SUCCESS.shard-00001-of-00002")));
    }

    [TestMethod]
    public void CorruptAndEmptyFilesGoToErrorsAndTheRunGoesOn()
    {
        using var corpus = new TokenizeCorpus(withBadFiles: true);
        string output = corpus.Output();
        var result = CliHarness.Run(corpus.Args(output)).Expect(0);
        StringAssert.Contains(result.Error, "warning: 2 files could not be tokenized");
        var errors = ParquetTokenPartWriter.ReadErrors(Path.Combine(output, "errors.parquet"));
        CollectionAssert.AreEqual(new[] { "corrupt.wav", "empty.wav" }, errors.Select(e => e.Path).ToArray());
        CollectionAssert.AreEqual(new[] { "corrupt", "empty" }, errors.Select(e => e.AudioId).ToArray());
        StringAssert.Contains(errors[1].Reason, "empty");
        Assert.IsFalse(string.IsNullOrWhiteSpace(errors[0].Reason));
        Assert.AreEqual(6, TokenizeCorpus.Rows(output).Count);
        Assert.AreEqual((6L, 2L), (Summary(output).Files, Summary(output).Errors));
        Assert.IsTrue(File.Exists(Path.Combine(output, "_SUCCESS")));
    }

    [TestMethod]
    public void MoreErrorsThanMaxErrorsFailTheRunAndStillListThem()
    {
        using var corpus = new TokenizeCorpus(withBadFiles: true);
        string output = corpus.Output();
        var result = CliHarness.Run(corpus.Args(output, "--max-errors", "1")).Expect(1);
        StringAssert.Contains(result.Error, "2 files could not be tokenized, more than --max-errors 1");
        var errors = ParquetTokenPartWriter.ReadErrors(Path.Combine(output, "errors.parquet"));
        CollectionAssert.AreEqual(new[] { "corrupt.wav", "empty.wav" }, errors.Select(e => e.Path).ToArray());
        Assert.IsFalse(File.Exists(Path.Combine(output, "_SUCCESS")));
        Assert.AreEqual("failed", Summary(output).Status);
        CliHarness.Run(corpus.Args(corpus.Output("enough"), "--max-errors", "2")).Expect(0);
    }

    [TestMethod]
    public void AnotherJobInTheSameFolderNeedsOverwrite()
    {
        using var corpus = new TokenizeCorpus();
        string output = corpus.Output();
        CliHarness.Run(corpus.Args(output, "--rows-per-part", "2")).Expect(0);
        var refused = CliHarness.Run(corpus.Args(output, "--rows-per-part", "3")).Expect(1);
        StringAssert.Contains(refused.Error, "--rows-per-part 2 vs 3");
        StringAssert.Contains(refused.Error, "--overwrite");
        CliHarness.Run(corpus.Args(output, "--rows-per-part", "3", "--overwrite")).Expect(0);
        CollectionAssert.AreEqual(new[] { "part-00000.parquet", "part-00001.parquet" }, TokenizeCorpus.PartFiles(output));
    }
}
