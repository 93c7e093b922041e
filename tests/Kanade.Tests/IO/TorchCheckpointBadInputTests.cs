using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Tests.IO;

/// <summary>Malformed, hostile or unsupported checkpoints fail with a clear exception naming the file.</summary>
[TestClass]
public sealed class TorchCheckpointBadInputTests
{
    static InvalidDataException Refused(string path, params string[] mentions)
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => TorchCheckpoint.Load(path));
        StringAssert.Contains(error.Message, path);
        foreach (string mention in mentions) StringAssert.Contains(error.Message, mention);
        return error;
    }

    [TestMethod]
    public void TextFileIsNotACheckpoint()
    {
        using var dir = new TempDirectory();
        string path = dir.File("notes.pt");
        File.WriteAllText(path, "these are not weights\n");
        Refused(path, "neither a zip archive nor a pickle");
    }

    [TestMethod]
    public void EmptyFileIsNotACheckpoint()
    {
        using var dir = new TempDirectory();
        string path = dir.File("empty.pth");
        File.WriteAllBytes(path, []);
        Refused(path, "0 bytes");
    }

    [TestMethod]
    public void MissingFileIsFileNotFound()
    {
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => TorchCheckpoint.Load("/nonexistent/dir/w.pt"));
        StringAssert.Contains(error.Message, "/nonexistent/dir/w.pt");
    }

    [TestMethod]
    public void TruncatedZipIsADamagedArchive()
    {
        using var dir = new TempDirectory();
        byte[] whole = File.ReadAllBytes(Checkpoints.Path("state_dict.pt"));
        string path = dir.File("cut.pt");
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        Refused(path);
    }

    [TestMethod]
    public void ZipWithoutDataPklIsNotACheckpoint()
    {
        using var dir = new TempDirectory();
        string path = dir.File("other.zip.pt");
        using (var zip = new System.IO.Compression.ZipArchive(File.Create(path), System.IO.Compression.ZipArchiveMode.Create))
            zip.CreateEntry("readme.txt");
        Refused(path, "no NAME/data.pkl");
    }

    [TestMethod]
    public void WholePickledModelIsRefusedWithAHint()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().Global("vocos.pretrained", "Vocos").EmptyTuple().NewObj().EmptyDict().Op('b').Stop();
        string path = PickleBuilder.WriteZip(dir.File("model.pt"), pickle.ToArray());
        Refused(path, "vocos.pretrained.Vocos", "model.state_dict()");
    }

    [TestMethod]
    public void DictWithNonTensorsNamesThem()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().EmptyDict().Mark()
            .Str("w").FloatTensor("0", 2, 0, [2], [1])
            .Str("epoch").Int(4)
            .SetItems().Stop();
        string path = PickleBuilder.WriteZip(dir.File("mixed.pt"), pickle.ToArray(), ("0", RawSafeTensors.Floats(1, 2)));
        Refused(path, "'epoch' (int)", "stateDictKey");
    }

    [TestMethod]
    public void TensorReachingPastItsStorageIsRefused()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().EmptyDict().Mark().Str("w").FloatTensor("0", 2, 1, [2], [1]).SetItems().Stop();
        string path = PickleBuilder.WriteZip(dir.File("outside.pt"), pickle.ToArray(), ("0", RawSafeTensors.Floats(1, 2)));
        Refused(path, "'w'", "reach element 2 of a storage of 2");
    }

    [TestMethod]
    public void StorageEntryOfTheWrongSizeIsRefused()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().EmptyDict().Mark().Str("w").FloatTensor("0", 3, 0, [3], [1]).SetItems().Stop();
        string path = PickleBuilder.WriteZip(dir.File("short.pt"), pickle.ToArray(), ("0", RawSafeTensors.Floats(1, 2)));
        Refused(path, "storage '0'", "12 bytes", "holds 8");
    }

    [TestMethod]
    public void MissingStorageEntryIsRefused()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().EmptyDict().Mark().Str("w").FloatTensor("7", 2, 0, [2], [1]).SetItems().Stop();
        string path = PickleBuilder.WriteZip(dir.File("nostorage.pt"), pickle.ToArray());
        Refused(path, "storage '7'", "archive/data/7");
    }

    [TestMethod]
    public void EvalInsideHyperParametersIsRefusedEvenWhereTheStateDictIsFine()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().EmptyDict().Mark()
            .Str("state_dict").EmptyDict().Mark().Str("w").FloatTensor("0", 2, 0, [2], [1]).SetItems()
            .Str("hyper_parameters").Global("builtins", "eval").Mark().Str("__import__('os').system('true')").Tuple().Reduce()
            .SetItems().Stop();
        string path = PickleBuilder.WriteZip(dir.File("eval.ckpt"), pickle.ToArray(), ("0", RawSafeTensors.Floats(1, 2)));
        var error = Refused(path, "builtins.eval");
        Assert.AreEqual("builtins.eval", error.Data["UnsafeCallable"]);
    }

    [TestMethod]
    public void UnknownClassesInMetadataStayInertData()
    {
        // A Lightning checkpoint's hyper-parameters hold user classes (pathlib paths, dataclasses): never built, never a problem.
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().EmptyDict().Mark()
            .Str("state_dict").EmptyDict().Mark().Str("w").FloatTensor("0", 2, 0, [2], [1]).SetItems()
            .Str("hyper_parameters").Global("pathlib", "PosixPath").Mark().Str("/data").Str("x.csv").Tuple().Reduce()
            .SetItems().Stop();
        string path = PickleBuilder.WriteZip(dir.File("paths.ckpt"), pickle.ToArray(), ("0", RawSafeTensors.Floats(1, 2)));
        var sd = TorchCheckpoint.Load(path);
        CollectionAssert.AreEqual(new float[] { 1, 2 }, sd["w"].data<float>().ToArray());
    }

    [TestMethod]
    public void TruncatedPickleIsRefused()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().EmptyDict().Mark().Str("w").ToArray();
        string path = PickleBuilder.WriteZip(dir.File("cutpickle.pt"), pickle);
        Refused(path, "ends before its STOP");
    }

    [TestMethod]
    public void UnknownOpcodeIsRefused()
    {
        using var dir = new TempDirectory();
        string path = PickleBuilder.WriteZip(dir.File("opcode.pt"), new PickleBuilder().Op(0xff).ToArray());
        Refused(path, "unknown opcode 0xFF at byte 2");
    }

    [TestMethod]
    public void LegacyFileWithoutTheMagicNumberIsRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("pickle.pt");
        File.WriteAllBytes(path, new PickleBuilder().Int(42).Stop().ToArray());
        Refused(path, "magic number");
    }

    [TestMethod]
    public void TruncatedLegacyFileIsRefused()
    {
        using var dir = new TempDirectory();
        byte[] whole = File.ReadAllBytes(Checkpoints.Path("state_dict_legacy.pt"));
        string path = dir.File("cut_legacy.pt");
        File.WriteAllBytes(path, whole[..(whole.Length - 10)]);
        Refused(path, "truncated");
    }

    [TestMethod]
    public void QuantizedStorageIsNotSupported()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().EmptyDict().Mark().Str("q")
            .Mark().Str("storage").Global("torch", "QInt8Storage").Str("0").Str("cpu").Int(2).Tuple().Op('Q')
            .SetItems().Stop();
        string path = PickleBuilder.WriteZip(dir.File("q.pt"), pickle.ToArray(), ("0", [1, 2]));
        var error = Assert.ThrowsExactly<NotSupportedException>(() => TorchCheckpoint.Load(path));
        StringAssert.Contains(error.Message, "QInt8Storage");
    }

    [TestMethod]
    public void DeeplyNestedKeyDoesNotExhaustTheStack()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().EmptyDict().Int(1);
        for (int i = 0; i < 200_000; i++) pickle.Op(0x85); // TUPLE1
        pickle.Int(2).Op('s').Stop();
        string path = PickleBuilder.WriteZip(dir.File("deep.pt"), pickle.ToArray());
        Refused(path, "not a state dict");
    }
}
