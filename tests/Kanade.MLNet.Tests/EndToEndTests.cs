using Kanade.Tests;
using Microsoft.Data.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet.Tests;

[TestClass]
public sealed class EndToEndTests
{
    static readonly MLContext ml = new(seed: 1);

    static IEstimator<ITransformer> EncodePipeline(string pathColumn = KanadeColumns.Path) =>
        ml.Transforms.LoadAudio(KanadeColumns.Waveform, pathColumn, TestData.Tiny12.Config.SampleRate, TestData.AudioRoot)
            .Append(ml.Transforms.KanadeEncode(TestData.Tiny12));

    static void AssertEqualsDirect(IDataView output, IReadOnlyList<string> clips)
    {
        var tokens = TestData.Vectors<int>(output, KanadeColumns.Tokens);
        var globals = TestData.Vectors<float>(output, KanadeColumns.GlobalEmbedding);
        Assert.HasCount(clips.Count, tokens);
        double worst = 0;
        for (int i = 0; i < clips.Count; i++)
        {
            var expected = TestData.Direct[clips[i]];
            CollectionAssert.AreEqual(expected.Tokens, tokens[i].Select(t => (long)t).ToArray(), $"tokens of {clips[i]}");
            worst = Math.Max(worst, TestData.RelativeDifference(globals[i], expected.GlobalEmbedding));
        }
        Assert.IsLessThanOrEqualTo(TensorAssert.Shallow, worst, $"global embeddings: max relative difference {worst:G3}");
    }

    [TestMethod]
    public void CsvManifestPipelineEqualsDirectModelCalls()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, Fixtures.ClipFiles));
        var output = EncodePipeline().Fit(data).Transform(data);
        AssertEqualsDirect(output, Fixtures.ClipFiles);
        CollectionAssert.AreEqual(Fixtures.ClipFiles.Select(Path.GetFileNameWithoutExtension).ToArray(), TestData.Texts(output, KanadeManifest.AudioIdColumn));
    }

    [TestMethod]
    public void TypedTextLoaderReadsTheManifestColumns()
    {
        using var folder = new TempDirectory();
        string manifest = TestData.WriteManifest(folder.Path, Fixtures.ClipFiles.Take(2));
        var data = ml.Data.LoadFromTextFile<AudioManifestRow>(manifest, separatorChar: ',', hasHeader: true, allowQuoting: true);
        var rows = ml.Data.CreateEnumerable<AudioManifestRow>(data, reuseRowObject: false).ToList();
        Assert.AreEqual("espeak_24bit_44k", rows[0].AudioId);
        Assert.AreEqual("espeak_24bit_44k.flac", rows[0].Path);
        Assert.AreEqual(AudioFile.Info(Fixtures.Audio("espeak_24bit_44k.flac")).Frames, rows[0].Length);
        Assert.AreEqual(22050, rows[1].SampleRate);
    }

    [TestMethod]
    public void ParquetManifestPipelineEqualsDirectModelCalls()
    {
        using var folder = new TempDirectory();
        string manifest = Path.Combine(folder.Path, "manifest.parquet");
        var rows = Fixtures.ClipFiles.Select(c => new ManifestParquetRow
        {
            audio_id = Path.GetFileNameWithoutExtension(c), path = c,
            length = AudioFile.Info(Fixtures.Audio(c)).Frames, sample_rate = AudioFile.Info(Fixtures.Audio(c)).SampleRate,
        });
        Parquet.Serialization.ParquetSerializer.SerializeAsync(rows, manifest).GetAwaiter().GetResult();
        var data = KanadeManifest.Load(ml, manifest);
        Assert.AreEqual(6L, data.GetRowCount());
        AssertEqualsDirect(EncodePipeline().Fit(data).Transform(data), Fixtures.ClipFiles);
    }

    sealed class ManifestParquetRow
    {
#pragma warning disable IDE1006 // the manifest's column names
        public string audio_id { get; set; } = "";
        public string path { get; set; } = "";
        public long length { get; set; }
        public int sample_rate { get; set; }
#pragma warning restore IDE1006
    }

    [TestMethod]
    public void DataFramePipelineEqualsDirectModelCallsAndComesBackAsDataFrame()
    {
        string[] clips = [.. Fixtures.ClipFiles.Take(3)];
        var frame = new DataFrame(new StringDataFrameColumn("File", clips));
        var output = EncodePipeline("File").Fit(frame).Transform(frame);
        var result = output.ToDataFrame(KanadeColumns.Tokens, KanadeColumns.GlobalEmbedding, "File");
        Assert.AreEqual(3L, result.Rows.Count);
        for (int i = 0; i < clips.Length; i++)
        {
            var tokens = (VBuffer<int>)result.Columns[KanadeColumns.Tokens][i]!;
            CollectionAssert.AreEqual(TestData.Direct[clips[i]].Tokens, tokens.DenseValues().Select(t => (long)t).ToArray(), clips[i]);
            var global = (VBuffer<float>)result.Columns[KanadeColumns.GlobalEmbedding][i]!;
            Assert.IsLessThanOrEqualTo(TensorAssert.Shallow, TestData.RelativeDifference(global.DenseValues().ToArray(), TestData.Direct[clips[i]].GlobalEmbedding));
        }
    }

    [TestMethod]
    public void DecodeGivesTheModelsMelRowMajorWithFrameCountAndBins()
    {
        using var folder = new TempDirectory();
        string[] clips = ["real_front_center_48k.wav", "short_24k.wav", "espeak_default_22k.wav"];
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, clips));
        var output = EncodePipeline().Append(ml.Transforms.KanadeDecode(TestData.Tiny12)).Fit(data).Transform(data);
        var mels = TestData.Vectors<float>(output, KanadeColumns.Mel);
        var frames = TestData.Scalars<int>(output, KanadeColumns.MelFrames);
        int bins = 0;
        output.Schema[KanadeColumns.Mel].Annotations.GetValue(KanadeAnnotations.MelBins, ref bins);
        Assert.AreEqual(TestData.Tiny12.Config.NMels, bins);
        for (int i = 0; i < clips.Length; i++)
        {
            var expected = TestData.Direct[clips[i]];
            Assert.AreEqual(expected.MelFrames, (long)frames[i], clips[i]);
            double diff = TestData.RelativeDifference(mels[i], expected.Mel);
            Assert.IsLessThanOrEqualTo(TensorAssert.Deep, diff, $"mel of {clips[i]}: {diff:G3}");
        }
    }

    [TestMethod]
    public void VocodeGivesTheVocodersWaveformOfTheMel()
    {
        using var folder = new TempDirectory();
        string clip = "real_rear_left_48k.wav";
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, [clip]));
        var output = EncodePipeline().Append(ml.Transforms.KanadeDecode(TestData.Tiny12)).Append(ml.Transforms.Vocode(TestData.Vocos))
            .Fit(data).Transform(data);
        var wave = TestData.Vectors<float>(output, KanadeColumns.Resynthesized).Single();
        var expected = TestData.Direct[clip];
        using var mel = TorchSharp.torch.tensor(expected.Mel).view(1, TestData.Tiny12.Config.NMels, expected.MelFrames);
        using var direct = TestData.Vocos.Vocode(mel);
        float[] reference = direct[0].data<float>().ToArray();
        Assert.IsLessThanOrEqualTo(TensorAssert.Deep, TestData.RelativeDifference(wave, reference));
        int rate = 0;
        output.Schema[KanadeColumns.Resynthesized].Annotations.GetValue(KanadeAnnotations.SampleRate, ref rate);
        Assert.AreEqual(TestData.Vocos.SampleRate, rate);
    }

    [TestMethod]
    public void PreviewShowsTokensOfTheFirstRows()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, ["short_24k.wav", "real_rear_left_48k.wav"]));
        var preview = EncodePipeline().Fit(data).Transform(data).Preview(maxRows: 2);
        Assert.HasCount(2, preview.RowView);
        var tokens = preview.ColumnView.Single(c => c.Column.Name == KanadeColumns.Tokens).Values;
        CollectionAssert.AreEqual(TestData.Direct["short_24k.wav"].Tokens, ((VBuffer<int>)tokens[0]).DenseValues().Select(t => (long)t).ToArray());
    }

    [TestMethod]
    public void EmptyDataViewGivesNoRowsAndRunsNothing()
    {
        using var folder = new TempDirectory();
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder.Path, []));
        var fitted = (TransformerChain<KanadeEncodingTransformer>)EncodePipeline().Fit(data);
        var output = fitted.Transform(data);
        Assert.IsEmpty(TestData.Vectors<int>(output, KanadeColumns.Tokens));
        Assert.AreEqual(0L, fitted.LastTransformer.Runner.EncodeCalls);
    }
}
