using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Tests.IO;

[TestClass]
public sealed class StateDictLoaderTests
{
    /// <summary>A state dict for <see cref="TinyNet"/> with values no initialisation produces.</summary>
    static Dictionary<string, Tensor> Distinct(int seed = 1)
    {
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        return new TinyNet().state_dict().ToDictionary(kv => kv.Key,
            kv => kv.Value.dtype == int64 ? full_like(kv.Value, 7) : rand(kv.Value.shape, generator: generator) + 10);
    }

    [TestMethod]
    public void StrictLoadCopiesEveryTensor()
    {
        var net = new TinyNet();
        var source = Distinct();

        var report = StateDictLoader.Load(net, source);

        Assert.IsTrue(report.IsComplete);
        Assert.HasCount(5, report.Loaded);
        foreach (var (name, value) in net.state_dict())
            TensorAssert.Identical(value, source[name], name);
    }

    [TestMethod]
    public void LoadedParametersStayTrainableLeaves()
    {
        var net = new TinyNet();
        var before = net.parameters().ToList();

        StateDictLoader.Load(net, Distinct());

        var after = net.parameters().ToList();
        for (int i = 0; i < before.Count; i++)
        {
            Assert.AreEqual(before[i].Handle, after[i].Handle, "the same parameter objects");
            Assert.IsTrue(after[i].requires_grad);
            Assert.IsTrue(after[i].is_leaf);
        }
        net.call(ones(1, 5, 3)).sum().backward();
        Assert.IsTrue(net.parameters().All(p => p.grad is not null));
    }

    [TestMethod]
    public void StrictLoadNamesEveryProblemInOneExceptionAndChangesNothing()
    {
        var net = new TinyNet();
        var original = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var source = Distinct();
        source.Remove("proj.bias");
        source["conv.weight"] = zeros(2, 2, 5);
        source["head.weight"] = zeros(4);

        var error = Assert.ThrowsExactly<WeightLoadException>(() =>
            StateDictLoader.Load(net, source, new StateDictLoadOptions { SourceName = "weights/12hz.safetensors" }));

        StringAssert.Contains(error.Message, "'weights/12hz.safetensors'");
        StringAssert.Contains(error.Message, "missing:    proj.bias [2]");
        StringAssert.Contains(error.Message, "unexpected: head.weight [4]");
        StringAssert.Contains(error.Message, "mis-shaped: conv.weight: expected [2, 2, 3] Float32, found [2, 2, 5] Float32");
        Assert.HasCount(1, error.Report.Missing);
        Assert.HasCount(1, error.Report.Unexpected);
        Assert.HasCount(1, error.Report.Mismatched);
        foreach (var (name, value) in net.state_dict())
            TensorAssert.Identical(value, original[name], $"{name} must be unchanged");
    }

    [TestMethod]
    public void PartialLoadCopiesWhatMatchesAndReportsTheRest()
    {
        var net = new TinyNet();
        var source = Distinct();
        source.Remove("proj.bias");
        source["conv.weight"] = zeros(2, 2, 5);

        var report = StateDictLoader.Load(net, source, new StateDictLoadOptions { Strict = false });

        CollectionAssert.AreEquivalent(new[] { "proj.weight", "conv.bias", "counts" }, report.Loaded.ToList());
        Assert.AreEqual("proj.bias", report.Missing.Single().Name);
        Assert.AreEqual("conv.weight", report.Mismatched.Single().Name);
        TensorAssert.Identical(net.state_dict()["proj.weight"], source["proj.weight"], "proj.weight");
    }

    [TestMethod]
    public void AbsentPrefixesAreNotMissing()
    {
        var net = new TwoPartNet();
        var source = Distinct().ToDictionary(kv => "encoder." + kv.Key, kv => kv.Value);

        var report = StateDictLoader.Load(net, source, new StateDictLoadOptions { AbsentPrefixes = ["decoder."] });

        Assert.IsTrue(report.IsComplete);
        Assert.HasCount(5, report.AbsentOnPurpose);
        Assert.AreEqual(7L, net.state_dict()["encoder.counts"][0].item<long>());
    }

    [TestMethod]
    public void IgnoredPrefixesAreNotUnexpected()
    {
        var net = new TinyNet();
        var source = Distinct();
        source["discriminator.stacks.0.bias"] = zeros(3);

        var report = StateDictLoader.Load(net, source, new StateDictLoadOptions { IgnoredPrefixes = ["discriminator."] });

        Assert.IsTrue(report.IsComplete);
        CollectionAssert.AreEqual(new[] { "discriminator.stacks.0.bias" }, report.Ignored.ToArray());
    }

    [TestMethod]
    public void NonPersistentBufferInTheSourceIsAcceptedButNotCopied()
    {
        var net = new TinyNet();
        var source = Distinct();
        source["window"] = full(4, 9f);

        var report = StateDictLoader.Load(net, source);

        CollectionAssert.AreEqual(new[] { "window" }, report.NonPersistent.ToArray());
        TensorAssert.Identical(net.get_buffer("window")!, hann_window(4), "window");
    }

    [TestMethod]
    public void NonPersistentBufferIsCopiedOnRequest()
    {
        var net = new TinyNet();
        var source = Distinct();
        source["window"] = full(4, 9f);

        StateDictLoader.Load(net, source, new StateDictLoadOptions { CopyNonPersistentBuffers = true });

        TensorAssert.Identical(net.get_buffer("window")!, full(4, 9f), "window");
    }

    [TestMethod]
    public void SourceDTypesAreConvertedToTheModules()
    {
        var net = new TinyNet();
        var source = Distinct();
        source["proj.weight"] = source["proj.weight"].to(float64);
        source["conv.bias"] = source["conv.bias"].to(bfloat16);
        source["counts"] = source["counts"].to(int32);

        StateDictLoader.Load(net, source);

        var loaded = net.state_dict();
        Assert.AreEqual(ScalarType.Float32, loaded["proj.weight"].dtype);
        TensorAssert.Close(loaded["proj.weight"], source["proj.weight"].to(float32), 0, "proj.weight");
        TensorAssert.Close(loaded["conv.bias"], source["conv.bias"], 0, "conv.bias");
        Assert.AreEqual(ScalarType.Int64, loaded["counts"].dtype);
    }

    [TestMethod]
    public void FloatsIntoAnIntegerBufferAreMismatched()
    {
        var net = new TinyNet();
        var source = Distinct();
        source["counts"] = ones(2);

        var error = Assert.ThrowsExactly<WeightLoadException>(() => StateDictLoader.Load(net, source));
        StringAssert.Contains(error.Message, "counts: expected [2] Int64, found [2] Float32");
    }

    [TestMethod]
    public void OldWeightNormNamesLoadIntoParametrizations()
    {
        var conv = new WeightNormedConv();

        var report = StateDictLoader.LoadFile(conv, Checkpoints.Path("weight_norm_old.pt"),
            new StateDictLoadOptions { IgnoredPrefixes = ["expected_weight"] });

        Assert.IsTrue(report.IsComplete);
        var g = TorchCheckpoint.Load(Checkpoints.Path("weight_norm_old.pt"))["weight_g"];
        TensorAssert.Identical(conv.state_dict()["parametrizations.weight.original0"], g, "parametrizations.weight.original0");
    }

    [TestMethod]
    public void LoadFileNamesTheFileInItsError()
    {
        using var dir = new TempDirectory();
        string path = dir.File("tiny.safetensors");
        var source = Distinct();
        source.Remove("counts");
        SafeTensors.Save(path, source);

        var error = Assert.ThrowsExactly<WeightLoadException>(() => StateDictLoader.LoadFile(new TinyNet(), path));

        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "missing:    counts [2]");
    }

    [TestMethod]
    public void NonPersistentBuffersAreVisibleInThisTorchSharp()
    {
        CollectionAssert.AreEqual(new[] { "encoder.window", "decoder.window" },
            ModuleBuffers.NonPersistentNames(new TwoPartNet()).ToArray());
    }
}
