using Kanade.Tests;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Kanade.MLNet.Tests;

[TestClass]
public sealed class LazinessAndBatchingTests
{
    static readonly MLContext ml = new(seed: 1);

    static (IDataView Output, KanadeEncodingTransformer Encoder, KanadeDecodingTransformer Decoder) Pipeline(IDataView data, int batchSize = 8)
    {
        var model = TestData.Tiny12;
        var loaded = ml.Transforms.LoadAudio(KanadeColumns.Waveform, KanadeColumns.Path, model.Config.SampleRate, TestData.AudioRoot).Fit(data).Transform(data);
        var encoder = ml.Transforms.KanadeEncode(model, new KanadeEncodingOptions { BatchSize = batchSize, ReadAheadRows = 8 }).Fit(loaded);
        var encoded = encoder.Transform(loaded);
        var decoder = ml.Transforms.KanadeDecode(model).Fit(encoded);
        return (decoder.Transform(encoded), encoder, decoder);
    }

    [TestMethod]
    public void TransformReadsNoAudioUntilACursorAsksForIt()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, ["short_24k.wav", "missing.wav"]));
        var (output, encoder, _) = Pipeline(data);  // a missing file would throw if anything were read
        CollectionAssert.AreEqual(new[] { "short_24k", "missing" }, TestData.Texts(output, KanadeManifest.AudioIdColumn));
        Assert.AreEqual(0L, encoder.Runner.EncodeCalls);
    }

    [TestMethod]
    public void AskingOnlyForTokensRunsTheContentBranchOnceAndNoDecoder()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, Fixtures.ClipFiles));
        var (output, encoder, decoder) = Pipeline(data);
        Assert.HasCount(6, TestData.Vectors<int>(output, KanadeColumns.Tokens));
        Assert.AreEqual(1L, encoder.Runner.EncodeCalls, "six rows, read-ahead 8, batch 8: one forward pass");
        Assert.AreEqual(1L, encoder.Runner.ContentPasses);
        Assert.AreEqual(0L, encoder.Runner.GlobalPasses);
        Assert.AreEqual(0L, decoder.Runner.DecodeCalls);
    }

    [TestMethod]
    public void AskingOnlyForTheGlobalEmbeddingSkipsTheContentBranch()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, ["short_24k.wav", "real_rear_left_48k.wav"]));
        var (output, encoder, _) = Pipeline(data);
        var globals = TestData.Vectors<float>(output, KanadeColumns.GlobalEmbedding);
        Assert.AreEqual(0L, encoder.Runner.ContentPasses);
        Assert.AreEqual(1L, encoder.Runner.GlobalPasses);
        Assert.IsLessThanOrEqualTo(TensorAssert.Shallow, TestData.RelativeDifference(globals[1], TestData.Direct["real_rear_left_48k.wav"].GlobalEmbedding));
    }

    [TestMethod]
    public void OneEncoderPassServesTokensAndEmbeddingOfARow()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, ["short_24k.wav"]));
        var (output, encoder, _) = Pipeline(data);
        var tokens = output.Schema[KanadeColumns.Tokens];
        var global = output.Schema[KanadeColumns.GlobalEmbedding];
        using var cursor = output.GetRowCursor([tokens, global]);
        var getTokens = cursor.GetGetter<VBuffer<int>>(tokens);
        var getGlobal = cursor.GetGetter<VBuffer<float>>(global);
        VBuffer<int> t = default;
        VBuffer<float> g = default;
        Assert.IsTrue(cursor.MoveNext());
        getTokens(ref t);
        getGlobal(ref g);
        getTokens(ref t);
        Assert.AreEqual(1L, encoder.Runner.EncodeCalls);
        Assert.AreEqual(TestData.Direct["short_24k.wav"].Tokens.Length, t.Length);
    }

    [TestMethod]
    public void FrameCountAloneIsComputedWithoutTheDecoder()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, Fixtures.ClipFiles));
        var (output, _, decoder) = Pipeline(data);
        var frames = TestData.Scalars<int>(output, KanadeColumns.MelFrames);
        Assert.AreEqual(0L, decoder.Runner.DecodeCalls);
        CollectionAssert.AreEqual(Fixtures.ClipFiles.Select(c => (int)TestData.Direct[c].MelFrames).ToArray(), frames);
    }

    [TestMethod]
    public void BatchedRowsEqualSingleItemEncodeOnEveryFixtureClip()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, Fixtures.ClipFiles));
        var (output, encoder, _) = Pipeline(data, batchSize: 6);
        var tokens = TestData.Vectors<int>(output, KanadeColumns.Tokens);
        Assert.AreEqual(1L, encoder.Runner.EncodeCalls, "all six clips (0.25 s to 3.9 s) in one padded batch");
        var globals = TestData.Vectors<float>(output, KanadeColumns.GlobalEmbedding);
        long same = 0, total = 0;
        double worst = 0;
        for (int i = 0; i < 6; i++)
        {
            var expected = TestData.Direct[Fixtures.ClipFiles[i]];
            Assert.HasCount(expected.Tokens.Length, tokens[i], Fixtures.ClipFiles[i]);
            same += expected.Tokens.Where((t, k) => t == tokens[i][k]).Count();
            total += expected.Tokens.Length;
            worst = Math.Max(worst, TestData.RelativeDifference(globals[i], expected.GlobalEmbedding));
        }
        Assert.IsGreaterThanOrEqualTo(0.999, same / (double)total, $"{same} of {total} tokens agree");
        Assert.IsLessThanOrEqualTo(TensorAssert.Shallow, worst, $"global embeddings: {worst:G3}");
    }

    [TestMethod]
    public void RowOrderIsKeptWhenRowsAreSortedByDuration()
    {
        using var folder = new TempDirectory();
        string[] clips = ["short_24k.wav", "espeak_default_22k.wav", "real_rear_left_48k.wav"];
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, clips));
        var (output, _, _) = Pipeline(data, batchSize: 2);
        var tokens = TestData.Vectors<int>(output, KanadeColumns.Tokens);
        CollectionAssert.AreEqual(clips.Select(c => TestData.Direct[c].Tokens.Length).ToArray(), tokens.Select(t => t.Length).ToArray());
    }

    [TestMethod]
    public void LoadAudioReadsAChunkFromOffsetAndFrameColumns()
    {
        using var folder = new TempDirectory();
        File.WriteAllLines(Path.Combine(folder.Path, "chunks.csv"), ["audio_id,path,offset,frames", "a,short_24k.wav,1000,2400"]);
        var loader = ml.Data.CreateTextLoader([new("Path", DataKind.String, 1), new("Offset", DataKind.Int64, 2), new("Frames", DataKind.Int32, 3)],
            separatorChar: ',', hasHeader: true);
        var data = loader.Load(Path.Combine(folder.Path, "chunks.csv"));
        var output = ml.Transforms.LoadAudio(new AudioLoadingOptions
        {
            InputColumnName = "Path", SampleRate = 24000, AudioRoot = TestData.AudioRoot, OffsetColumnName = "Offset", FramesColumnName = "Frames",
        }).Fit(data).Transform(data);
        var wave = TestData.Vectors<float>(output, KanadeColumns.Waveform).Single();
        using var raw = AudioFile.Read(Fixtures.Audio("short_24k.wav"), 1000, 2400).mean([0]);
        using var expected = raw / (raw.abs().max() + 1e-8);
        Assert.IsLessThanOrEqualTo(1e-6, TestData.RelativeDifference(wave, expected.data<float>().ToArray()));
    }
}
