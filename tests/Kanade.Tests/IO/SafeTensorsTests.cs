using System.Text;
using Kanade.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Tests.IO;

[TestClass]
public sealed class SafeTensorsTests
{
    [TestMethod]
    public void LoadsGoldenClipWithShapesOfFixturesJson()
    {
        var clip = Fixtures.Clip("tiny12", "short_24k.wav");
        var info = Fixtures.ClipInfo("tiny12", "short_24k.wav").GetProperty("tensors");
        foreach (var (name, tensor) in clip)
        {
            long[] expected = info.GetProperty(name).GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            CollectionAssert.AreEqual(expected, tensor.shape, name);
            if (tensor.dtype == float32)
                Assert.AreEqual(info.GetProperty(name).GetProperty("mean").GetDouble(), tensor.mean().item<float>(), 1e-5, name);
        }
    }

    [TestMethod]
    public void RoundTripsEveryDTypeBitExactly()
    {
        using var dir = new TempDirectory();
        var values = new double[] { -2.5, 0, 1, 3.75, 100 };
        var tensors = new Dictionary<string, Tensor>
        {
            ["f64"] = tensor(values, float64),
            ["f32"] = tensor(values, float32).reshape(5, 1),
            ["f16"] = tensor(values, float16),
            ["bf16"] = tensor(values, bfloat16),
            ["i64"] = tensor(new long[] { long.MinValue, -1, 0, 1, long.MaxValue }),
            ["i32"] = tensor(new int[] { int.MinValue, -1, 0, 1, int.MaxValue }),
            ["i16"] = tensor(new short[] { short.MinValue, -1, 0, 1, short.MaxValue }),
            ["i8"] = tensor(new sbyte[] { sbyte.MinValue, -1, 0, 1, sbyte.MaxValue }),
            ["u8"] = tensor(new byte[] { 0, 1, 127, 128, 255 }),
            ["bool"] = tensor(new bool[] { true, false, false, true, true }),
            ["scalar"] = tensor(7.5f),
            ["empty"] = zeros(0, 3),
        };
        string path = dir.File("all.safetensors");
        SafeTensors.Save(path, tensors);
        var loaded = SafeTensors.Load(path);

        CollectionAssert.AreEquivalent(tensors.Keys.ToList(), loaded.Keys.ToList());
        foreach (var (name, original) in tensors)
        {
            Assert.AreEqual(original.dtype, loaded[name].dtype, name);
            CollectionAssert.AreEqual(original.shape, loaded[name].shape, name);
            TensorAssert.Identical(loaded[name], original, name);
        }
    }

    [TestMethod]
    public void WritesTheReferenceWritersExactBytes()
    {
        // safetensors.torch.save_file({"b": torch.tensor([1., 2.]), "a": torch.tensor([3], dtype=torch.int16)},
        // metadata={"format": "pt"}): metadata first, larger elements first, header padded with spaces to 8 bytes.
        using var dir = new TempDirectory();
        string path = dir.File("small.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor>
        {
            ["a"] = tensor(new short[] { 3 }),
            ["b"] = tensor(new float[] { 1, 2 }),
        }, new Dictionary<string, string> { ["format"] = "pt" });

        string json = "{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    + "\"a\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[8,10]}}";
        json += new string(' ', (8 - json.Length % 8) % 8);
        byte[] expected = [.. BitConverter.GetBytes((ulong)json.Length), .. Encoding.ASCII.GetBytes(json),
                           .. RawSafeTensors.Floats(1, 2), 3, 0];
        CollectionAssert.AreEqual(expected, File.ReadAllBytes(path));
    }

    [TestMethod]
    public void ReadsAndWritesMetadata()
    {
        using var dir = new TempDirectory();
        string path = dir.File("meta.safetensors");
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["kanade_config"] = "12hz", ["note"] = "é ünïcode" };
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["x"] = ones(2) }, metadata);

        var header = SafeTensors.ReadHeader(path);
        CollectionAssert.AreEquivalent(metadata.ToList(), header.Metadata.ToList());
    }

    [TestMethod]
    public void ReadHeaderListsNamesDTypesShapesInDataOrderWithoutReadingData()
    {
        var header = SafeTensors.ReadHeader(Fixtures.Path("tiny12", "clips", "short_24k.safetensors"));

        var first = header.Tensors[0];
        Assert.AreEqual("content_token_indices", first.Name);
        Assert.AreEqual("I64", first.DType);
        Assert.AreEqual(ScalarType.Int64, first.ScalarType);
        CollectionAssert.AreEqual(new long[] { 3 }, first.Shape);
        Assert.AreEqual(24L, first.ByteLength);
        CollectionAssert.AreEqual(new long[] { 3, 64 }, header.Find("content_embedding")!.Shape);
        for (int i = 1; i < header.Tensors.Count; i++)
            Assert.AreEqual(header.Tensors[i - 1].End, header.Tensors[i].Begin, header.Tensors[i].Name);
        Assert.AreEqual(new FileInfo(header.FilePath).Length, header.DataOffset + header.Tensors[^1].End);
    }

    [TestMethod]
    public void SaveMakesNonContiguousTensorsContiguous()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        var matrix = arange(6, dtype: float32).reshape(2, 3);
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["t"] = matrix.t() });

        var loaded = SafeTensors.Load(path)["t"];
        CollectionAssert.AreEqual(new long[] { 3, 2 }, loaded.shape);
        CollectionAssert.AreEqual(new float[] { 0, 3, 1, 4, 2, 5 }, loaded.data<float>().ToArray());
    }

    [TestMethod]
    public void SaveLeavesTheCallersTensorsUsable()
    {
        using var dir = new TempDirectory();
        var x = arange(4, dtype: float32);
        SafeTensors.Save(dir.File("x.safetensors"), new Dictionary<string, Tensor> { ["x"] = x });
        Assert.AreEqual(6f, x.sum().item<float>());
    }

    [TestMethod]
    public void SaveReplacesAnExistingFileAndLeavesNoTemporaryFiles()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["old"] = ones(3) });
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["new"] = full(2, 5f) });

        var loaded = SafeTensors.Load(path);
        CollectionAssert.AreEqual(new[] { "new" }, loaded.Keys.ToArray());
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(dir.Path));
    }

    [TestMethod]
    public void FailedSaveKeepsTheOldFileAndLeavesNoTemporaryFiles()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["old"] = ones(3) });
        byte[] before = File.ReadAllBytes(path);

        Assert.ThrowsExactly<NotSupportedException>(() =>
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(2), ["z"] = ones(2, dtype: complex64) }));

        CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(dir.Path));
    }

    [TestMethod]
    public void FloatingDTypeConvertsFloatsAndKeepsIntegers()
    {
        using var dir = new TempDirectory();
        string path = dir.File("mixed.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor>
        {
            ["half"] = tensor(new[] { 0.5, -1.25 }, float16),
            ["brain"] = tensor(new[] { 3.0, 0.125 }, bfloat16),
            ["ids"] = tensor(new long[] { 5, 6 }),
        });

        var loaded = SafeTensors.Load(path, new WeightLoadOptions { FloatingDType = ScalarType.Float32 });

        Assert.AreEqual(ScalarType.Float32, loaded["half"].dtype);
        Assert.AreEqual(ScalarType.Float32, loaded["brain"].dtype);
        Assert.AreEqual(ScalarType.Int64, loaded["ids"].dtype);
        CollectionAssert.AreEqual(new float[] { 0.5f, -1.25f }, loaded["half"].data<float>().ToArray());
        CollectionAssert.AreEqual(new float[] { 3f, 0.125f }, loaded["brain"].data<float>().ToArray());
    }

    [TestMethod]
    public void PrefixSelectsAndStripsNames()
    {
        var all = SafeTensors.ReadHeader(Fixtures.Path("tiny12", "model_full.safetensors"));
        var ssl = SafeTensors.Load(Fixtures.Path("tiny12", "model_full.safetensors"),
            new WeightLoadOptions { Prefix = "ssl_feature_extractor.model." });

        int expected = all.Tensors.Count(t => t.Name.StartsWith("ssl_feature_extractor.model.", StringComparison.Ordinal));
        Assert.AreEqual(expected, ssl.Count);
        Assert.IsTrue(ssl.ContainsKey("feature_extractor.conv_layers.0.conv.weight"));
        var reference = SafeTensors.Load(Fixtures.Path("tiny12", "ssl.safetensors"));
        CollectionAssert.AreEquivalent(reference.Keys.ToList(), ssl.Keys.ToList());
        foreach (var (name, t) in reference)
            TensorAssert.Identical(ssl[name], t, name);
    }

    [TestMethod]
    public void IncludeReadsOnlyTheChosenTensors()
    {
        var loaded = SafeTensors.Load(Fixtures.Path("tiny12", "clips", "short_24k.safetensors"),
            new WeightLoadOptions { Include = name => name.StartsWith("ssl_layer_", StringComparison.Ordinal) });
        Assert.AreEqual(9, loaded.Count);
    }
}
