using System.Diagnostics;
using System.Text.Json;
using Kanade.Tests;
using Microsoft.ML;

namespace Kanade.MLNet.Tests;

[TestClass]
public sealed class ParquetTests
{
    static readonly MLContext ml = new(seed: 1);

    static IDataView Tokens(string folder, IEnumerable<string> clips, AudioErrorPolicy policy = AudioErrorPolicy.Throw)
    {
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder, clips));
        return ml.Transforms.LoadAudio(KanadeColumns.Waveform, KanadeColumns.Path, 24000, TestData.AudioRoot, policy)
            .Append(ml.Transforms.KanadeEncode(TestData.Tiny12)).Fit(data).Transform(data);
    }

    static readonly string[] clips = [.. Fixtures.ClipFiles.Take(3), "gone.wav", .. Fixtures.ClipFiles.Skip(3)];

    [TestMethod]
    public void TokensWrittenToPartsReadBackEqual()
    {
        using var folder = new TempDirectory();
        string output = Path.Combine(folder.Path, "tokens");
        var parts = KanadeParquet.Save(ml, Tokens(folder.Path, clips, AudioErrorPolicy.EmptyWithErrorColumn), output,
            new KanadeParquetOptions { RowsPerPart = 4, RowsPerRowGroup = 3, ModelReference = KanadeModelReference.Of(TestData.Tiny12) });
        CollectionAssert.AreEqual(new[] { "part-00000.parquet", "part-00001.parquet" }, parts.Select(Path.GetFileName).ToArray());
        Assert.IsEmpty(Directory.GetFiles(output, "*.tmp"));

        var back = KanadeParquet.Load(ml, output);
        Assert.AreEqual(7L, back.GetRowCount());
        var ids = TestData.Texts(back, "audio_id");
        var tokens = TestData.Vectors<int>(back, "tokens");
        var counts = TestData.Scalars<int>(back, "num_tokens");
        var globals = TestData.Vectors<float>(back, "global_embedding");
        var durations = TestData.Scalars<double>(back, "duration_s");
        CollectionAssert.AreEqual(clips.Select(Path.GetFileNameWithoutExtension).ToArray(), ids);
        for (int i = 0; i < clips.Length; i++)
        {
            if (clips[i] == "gone.wav")
            {
                Assert.IsEmpty(tokens[i]);
                Assert.AreEqual(0, counts[i]);
                continue;
            }
            var expected = TestData.Direct[clips[i]];
            CollectionAssert.AreEqual(expected.Tokens, tokens[i].Select(t => (long)t).ToArray(), clips[i]);
            Assert.AreEqual(expected.Tokens.Length, counts[i]);
            Assert.IsLessThanOrEqualTo(TensorAssert.Shallow, TestData.RelativeDifference(globals[i], expected.GlobalEmbedding));
            Assert.AreEqual(expected.Samples / 24000.0, durations[i], 1e-12);
        }
    }

    [TestMethod]
    public void PartMetadataDescribesTheModel()
    {
        using var folder = new TempDirectory();
        var parts = KanadeParquet.Save(ml, Tokens(folder.Path, ["short_24k.wav"]), Path.Combine(folder.Path, "tokens"),
            new KanadeParquetOptions { ModelReference = KanadeModelReference.Of(TestData.Tiny12) });
        var metadata = KanadeParquet.ReadMetadata(parts[0]);
        var model = TestData.Tiny12;
        Assert.AreEqual("model", metadata.ModelConfig);
        Assert.AreEqual(KanadeModelReference.Of(model)!.ConfigSha256, metadata.ModelConfigSha256);
        Assert.AreEqual(KanadeModelReference.Of(model)!.WeightsSha256, metadata.WeightsSha256);
        Assert.AreEqual(model.TokenRate, metadata.TokenRate);
        Assert.AreEqual((int)model.VocabularySize, metadata.VocabularySize);
        CollectionAssert.AreEqual(model.Definition.LocalQuantizer.Levels.ToArray(), metadata.FsqLevels.ToArray());
        Assert.AreEqual(model.GlobalDim, metadata.GlobalDim);
    }

    [TestMethod]
    public void AnEmptyViewWritesOneEmptyPartWithMetadata()
    {
        using var folder = new TempDirectory();
        var parts = KanadeParquet.Save(ml, Tokens(folder.Path, []), Path.Combine(folder.Path, "tokens"));
        Assert.HasCount(1, parts);
        Assert.AreEqual(0L, KanadeParquet.Load(ml, parts[0]).GetRowCount());
        Assert.AreEqual((int)TestData.Tiny12.VocabularySize, KanadeParquet.ReadMetadata(parts[0]).VocabularySize);
    }

    [TestMethod]
    public void AnIndependentReaderSeesTheSameRowsAndMetadata()
    {
        string checker = Path.Combine(Fixtures.RepoRoot, "tests", "Kanade.MLNet.Tests", "parquet-check");
        if (!Directory.Exists(Path.Combine(checker, "node_modules", "hyparquet")))
            Assert.Fail($"hyparquet, the independent Parquet reader this test runs, is not installed: run `bash scripts/install-deps.sh` (or `npm ci --prefix {checker}`).");
        using var folder = new TempDirectory();
        string[] some = ["short_24k.wav", "gone.wav", "real_rear_left_48k.wav"];
        var parts = KanadeParquet.Save(ml, Tokens(folder.Path, some, AudioErrorPolicy.EmptyWithErrorColumn), Path.Combine(folder.Path, "tokens"),
            new KanadeParquetOptions { RowsPerRowGroup = 2 });

        var start = new ProcessStartInfo("node", [Path.Combine(checker, "read.mjs"), parts[0]])
            { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = checker };
        using var node = Process.Start(start)!;
        string json = node.StandardOutput.ReadToEnd();
        string errors = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.AreEqual(0, node.ExitCode, errors);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.AreEqual(3, root.GetProperty("num_rows").GetInt32());
        Assert.AreEqual(2, root.GetProperty("row_groups").GetInt32());
        CollectionAssert.AreEqual(new[] { "audio_id", "path", "tokens", "num_tokens", "global_embedding", "duration_s", "sample_rate" },
            root.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToArray());
        Assert.AreEqual("kanade-tokens", root.GetProperty("metadata").GetProperty("kanade.format").GetString());
        Assert.AreEqual(string.Join(",", TestData.Tiny12.Definition.LocalQuantizer.Levels),
            root.GetProperty("metadata").GetProperty("kanade.fsq_levels").GetString());

        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        var back = KanadeParquet.Load(ml, parts[0]);
        var tokens = TestData.Vectors<int>(back, "tokens");
        var globals = TestData.Vectors<float>(back, "global_embedding");
        for (int i = 0; i < 3; i++)
        {
            Assert.AreEqual(Path.GetFileNameWithoutExtension(some[i]), rows[i].GetProperty("audio_id").GetString());
            CollectionAssert.AreEqual(tokens[i], rows[i].GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray(), $"tokens of row {i}");
            Assert.AreEqual(tokens[i].Length, rows[i].GetProperty("num_tokens").GetInt32());
            var js = rows[i].GetProperty("global_embedding").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetSingle() : float.NaN).ToArray();
            CollectionAssert.AreEqual(globals[i].Select(BitConverter.SingleToInt32Bits).ToArray(), js.Select(BitConverter.SingleToInt32Bits).ToArray(), $"embedding of row {i}");
        }
        Assert.AreEqual(24000, rows[0].GetProperty("sample_rate").GetInt32());
    }
}
