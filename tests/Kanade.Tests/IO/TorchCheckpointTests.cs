using Kanade.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Tests.IO;

[TestClass]
public sealed class TorchCheckpointTests
{
    static Tensor F32 => arange(12, dtype: float32).reshape(3, 4) / 8;

    [TestMethod]
    public void ZipStateDictHoldsEveryDTypeWithPyTorchsValues()
    {
        var sd = TorchCheckpoint.Load(Checkpoints.Path("state_dict.pt"));

        AssertTensor(F32, sd["f32"], ScalarType.Float32);
        AssertTensor(F32.to(float64), sd["f64"], ScalarType.Float64);
        AssertTensor((F32 - 0.5).to(float16), sd["f16"], ScalarType.Float16);
        AssertTensor((F32 + 0.25).to(bfloat16), sd["bf16"], ScalarType.BFloat16);
        AssertTensor(tensor(new long[] { -3, 0, 7 }).reshape(1, 3), sd["i64"], ScalarType.Int64);
        AssertTensor(tensor(new[] { 1, -2, 3 }), sd["i32"], ScalarType.Int32);
        AssertTensor(tensor(new byte[] { 0, 128, 255 }), sd["u8"], ScalarType.Byte);
        AssertTensor(tensor(new[] { true, false, true }), sd["bool"], ScalarType.Bool);
        Assert.AreEqual(0L, sd["scalar"].dim());
        Assert.AreEqual(2.5, sd["scalar"].to(float64).item<double>());
        CollectionAssert.AreEqual(new long[] { 0, 5 }, sd["empty"].shape);
    }

    [TestMethod]
    public void NonContiguousTensorKeepsItsValues()
    {
        var sd = TorchCheckpoint.Load(Checkpoints.Path("state_dict.pt"));
        AssertTensor(F32.t(), sd["transposed"], ScalarType.Float32);
    }

    [TestMethod]
    public void TensorsSharingAStorageGetTheirOwnOffsetsAndShareMemory()
    {
        var sd = TorchCheckpoint.Load(Checkpoints.Path("state_dict.pt"));
        var whole = arange(10, dtype: float32);
        AssertTensor(whole[2..6], sd["shared_a"], ScalarType.Float32);
        AssertTensor(whole.view(2, 5), sd["shared_b"], ScalarType.Float32);

        // As after torch.load: one storage, so a write through one name shows through the other.
        sd["shared_b"][0, 2] = tensor(-1f);
        Assert.AreEqual(-1f, sd["shared_a"][0].item<float>());
    }

    [TestMethod]
    public void LegacyFormatLoadsTheSameTensors()
    {
        var zip = TorchCheckpoint.Load(Checkpoints.Path("state_dict.pt"));
        var legacy = TorchCheckpoint.Load(Checkpoints.Path("state_dict_legacy.pt"));

        CollectionAssert.AreEquivalent(zip.Keys.ToList(), legacy.Keys.ToList());
        foreach (var (name, t) in zip)
            TensorAssert.Identical(legacy[name], t, name);
    }

    [TestMethod]
    public void LightningCheckpointGivesItsStateDictWithoutCompileWrappers()
    {
        var sd = TorchCheckpoint.Load(Checkpoints.Path("lightning.ckpt"));

        CollectionAssert.AreEquivalent(
            new[] { "model.encoder.weight", "model.decoder.bias", "discriminator.stacks.0.0.bias" }, sd.Keys.ToList());
        AssertTensor(F32, sd["model.encoder.weight"], ScalarType.Float32);
    }

    [TestMethod]
    public void LightningPrefixSelectsTheModelOrTheDiscriminator()
    {
        var model = TorchCheckpoint.LoadLightning(Checkpoints.Path("lightning.ckpt"), "model.");
        var discriminator = TorchCheckpoint.LoadLightning(Checkpoints.Path("lightning.ckpt"), "discriminator.");

        CollectionAssert.AreEquivalent(new[] { "encoder.weight", "decoder.bias" }, model.Keys.ToList());
        CollectionAssert.AreEqual(new float[] { 0.5f, -0.5f }, model["decoder.bias"].data<float>().ToArray());
        CollectionAssert.AreEqual(new[] { "stacks.0.0.bias" }, discriminator.Keys.ToArray());
        CollectionAssert.AreEqual(new float[] { 1, 2, 3 }, discriminator["stacks.0.0.bias"].data<float>().ToArray());
    }

    [TestMethod]
    public void LightningPrefixWithNothingUnderItIsAnError()
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() =>
            TorchCheckpoint.LoadLightning(Checkpoints.Path("lightning.ckpt"), "generator."));
        StringAssert.Contains(error.Message, "generator.");
    }

    [TestMethod]
    public void ReadInfoOutlinesALightningCheckpointWithoutItsData()
    {
        var info = TorchCheckpoint.ReadInfo(Checkpoints.Path("lightning.ckpt"));

        Assert.AreEqual("zip", info.Format);
        CollectionAssert.AreEqual(
            new[] { "epoch", "global_step", "pytorch-lightning_version", "state_dict", "optimizer_states", "lr_schedulers", "hyper_parameters" },
            info.TopLevelKeys.ToArray());
        Assert.AreEqual(3L, info.Scalars["epoch"]);
        Assert.AreEqual(1200L, info.Scalars["global_step"]);
        Assert.AreEqual("2.5.0", info.Scalars["pytorch-lightning_version"]);
        Assert.HasCount(3, info.Tensors);
        Assert.AreEqual("model._orig_mod.decoder.bias", info.Tensors[1].Name);
        CollectionAssert.AreEqual(new long[] { 3, 4 }, info.Tensors[0].Shape);
    }

    [TestMethod]
    public void ReadInfoListsEveryTensorOfALegacyFile()
    {
        var info = TorchCheckpoint.ReadInfo(Checkpoints.Path("state_dict_legacy.pt"));

        Assert.AreEqual("legacy", info.Format);
        Assert.HasCount(13, info.Tensors);
        var bf16 = info.Tensors.Single(t => t.Name == "bf16");
        Assert.AreEqual(ScalarType.BFloat16, bf16.DType);
        CollectionAssert.AreEqual(new long[] { 3, 4 }, bf16.Shape);
    }

    [TestMethod]
    public void MaliciousPickleIsRefusedAndNothingRuns()
    {
        const string marker = "/tmp/kanade-pwned";
        bool existedBefore = File.Exists(marker);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => TorchCheckpoint.Load(Checkpoints.Path("malicious.pt")));

        Assert.AreEqual("posix.system", error.Data["UnsafeCallable"]);
        StringAssert.Contains(error.Message, "malicious.pt");
        StringAssert.Contains(error.Message, "nothing was executed");
        if (!existedBefore) Assert.IsFalse(File.Exists(marker));
    }

    [TestMethod]
    public void FloatingDTypeAndPrefixApplyToCheckpointsToo()
    {
        var sd = TorchCheckpoint.Load(Checkpoints.Path("state_dict.pt"),
            new WeightLoadOptions { Include = n => n is "f16" or "bf16" or "i64", FloatingDType = ScalarType.Float32 });

        CollectionAssert.AreEquivalent(new[] { "f16", "bf16", "i64" }, sd.Keys.ToList());
        Assert.AreEqual(ScalarType.Float32, sd["f16"].dtype);
        Assert.AreEqual(ScalarType.Float32, sd["bf16"].dtype);
        Assert.AreEqual(ScalarType.Int64, sd["i64"].dtype);
        TensorAssert.Close(sd["f16"], F32 - 0.5, 0, "f16");
    }

    [TestMethod]
    public void WeightFileDispatchesOnExtension()
    {
        Assert.HasCount(3, WeightFile.Load(Checkpoints.Path("lightning.ckpt")));
        Assert.HasCount(13, WeightFile.Load(Checkpoints.Path("state_dict_legacy.pt")));
        Assert.IsTrue(WeightFile.Load(Fixtures.Path("tiny25", "hift.safetensors")).Count > 10);
    }

    [TestMethod]
    public void WeightFileSniffsAnUnknownExtension()
    {
        using var dir = new TempDirectory();
        string renamed = dir.File("weights.model");
        File.Copy(Checkpoints.Path("state_dict.pt"), renamed);
        Assert.HasCount(13, WeightFile.Load(renamed));
    }

    [TestMethod]
    public void StateDictKeyPicksANamedEntry()
    {
        var sd = TorchCheckpoint.Load(Checkpoints.Path("lightning.ckpt"), WeightLoadOptions.All, stateDictKey: "state_dict");
        Assert.HasCount(3, sd);
        var error = Assert.ThrowsExactly<InvalidDataException>(() =>
            TorchCheckpoint.Load(Checkpoints.Path("lightning.ckpt"), WeightLoadOptions.All, stateDictKey: "generator"));
        StringAssert.Contains(error.Message, "no 'generator'");
        StringAssert.Contains(error.Message, "optimizer_states");
    }

    [TestMethod]
    public void BigEndianZipCheckpointIsByteSwapped()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().EmptyDict().Mark().Str("w").FloatTensor("0", 2, 0, [2], [1]).SetItems().Stop();
        byte[] bigEndian = [.. BitConverter.GetBytes(1.5f).Reverse(), .. BitConverter.GetBytes(-3f).Reverse()];
        string path = PickleBuilder.WriteZip(dir.File("big.pt"), "big", pickle.ToArray(), ("0", bigEndian));

        CollectionAssert.AreEqual(new[] { 1.5f, -3f }, TorchCheckpoint.Load(path)["w"].data<float>().ToArray());
    }

    [TestMethod]
    public void RemoveCompileWrappersDropsWholeSegmentsOnly()
    {
        Assert.AreEqual("model.decoder.bias", TorchCheckpoint.RemoveCompileWrappers("model._orig_mod.decoder.bias"));
        Assert.AreEqual("a.b", TorchCheckpoint.RemoveCompileWrappers("_orig_mod.a._orig_mod.b"));
        Assert.AreEqual("x.my_orig_mod.y", TorchCheckpoint.RemoveCompileWrappers("x.my_orig_mod.y"));
    }

    static void AssertTensor(Tensor expected, Tensor actual, ScalarType dtype)
    {
        Assert.AreEqual(dtype, actual.dtype);
        CollectionAssert.AreEqual(expected.shape, actual.shape);
        TensorAssert.Close(actual, expected, 0, $"{dtype} tensor");
    }
}
