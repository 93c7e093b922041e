using Kanade.IO;

namespace Kanade.Tests.IO;

/// <summary>Every malformed safetensors file fails with an <see cref="InvalidDataException"/> naming the file and the problem.</summary>
[TestClass]
public sealed class SafeTensorsBadInputTests
{
    const string TwoFloats = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    static InvalidDataException Refused(string path, params string[] mentions) => Refused(path, headerIsBad: true, mentions);

    static InvalidDataException Refused(string path, bool headerIsBad, params string[] mentions)
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => SafeTensors.Load(path));
        StringAssert.Contains(error.Message, path);
        foreach (string mention in mentions) StringAssert.Contains(error.Message, mention);
        // The header-only reader applies the same checks to the header.
        if (headerIsBad) Assert.ThrowsExactly<InvalidDataException>(() => SafeTensors.ReadHeader(path));
        return error;
    }

    [TestMethod]
    public void EmptyFileIsRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("empty.safetensors");
        File.WriteAllBytes(path, []);
        Refused(path, "0 bytes");
    }

    [TestMethod]
    public void HeaderLengthPastTheEndIsRefused()
    {
        using var dir = new TempDirectory();
        string path = RawSafeTensors.Write(dir.File("long.safetensors"), TwoFloats, RawSafeTensors.Floats(1, 2), claimedHeaderLength: 4096);
        Refused(path, "header length 4096", "past the end");
    }

    [TestMethod]
    public void AbsurdHeaderLengthIsRefusedWithoutAllocatingIt()
    {
        using var dir = new TempDirectory();
        string path = RawSafeTensors.Write(dir.File("huge.safetensors"), TwoFloats, RawSafeTensors.Floats(1, 2), claimedHeaderLength: 150_000_000);
        using (var stream = File.OpenWrite(path)) stream.SetLength(150_000_100);   // sparse: costs no disk
        Refused(path, "150000000", "limit");
    }

    [TestMethod]
    public void InvalidJsonIsRefused()
    {
        using var dir = new TempDirectory();
        string path = RawSafeTensors.Write(dir.File("json.safetensors"), "{\"a\":{\"dtype\":\"F32\",", []);
        Refused(path, "not valid JSON");
    }

    [TestMethod]
    public void OverlappingOffsetsAreRefusedNamingBothTensors()
    {
        using var dir = new TempDirectory();
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                      + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        string path = RawSafeTensors.Write(dir.File("overlap.safetensors"), header, RawSafeTensors.Floats(1, 2, 3));
        Refused(path, "'b'", "overlaps", "'a'");
    }

    [TestMethod]
    public void OffsetsOutsideTheDataAreRefused()
    {
        using var dir = new TempDirectory();
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        string path = RawSafeTensors.Write(dir.File("outside.safetensors"), header, RawSafeTensors.Floats(1, 2));
        Refused(path, "'a'", "[0, 16]", "outside the data section (8 bytes)");
    }

    [TestMethod]
    public void ReversedOffsetsAreRefused()
    {
        using var dir = new TempDirectory();
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}";
        string path = RawSafeTensors.Write(dir.File("reversed.safetensors"), header, RawSafeTensors.Floats(1, 2));
        Refused(path, "'a'", "end before they begin");
    }

    [TestMethod]
    public void GapBetweenTensorsIsRefused()
    {
        using var dir = new TempDirectory();
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                      + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        string path = RawSafeTensors.Write(dir.File("gap.safetensors"), header, RawSafeTensors.Floats(1, 2, 3));
        Refused(path, "[4, 8)", "'a'", "'b'");
    }

    [TestMethod]
    public void TrailingBytesAreRefused()
    {
        using var dir = new TempDirectory();
        string path = RawSafeTensors.Write(dir.File("trailing.safetensors"), TwoFloats, RawSafeTensors.Floats(1, 2, 3));
        Refused(path, "12 bytes", "cover only 8");
    }

    [TestMethod]
    public void UnknownDTypeIsRefusedNamingItAndTheTensor()
    {
        using var dir = new TempDirectory();
        string header = "{\"a\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        string path = RawSafeTensors.Write(dir.File("dtype.safetensors"), header, RawSafeTensors.Floats(1, 2));
        Refused(path, "'a'", "unknown dtype 'F33'", "BF16");
    }

    [TestMethod]
    public void DTypeWithoutTorchSharpTypeIsNotSupported()
    {
        using var dir = new TempDirectory();
        string header = "{\"a\":{\"dtype\":\"U16\",\"shape\":[4],\"data_offsets\":[0,8]}}";
        string path = RawSafeTensors.Write(dir.File("u16.safetensors"), header, RawSafeTensors.Floats(1, 2));
        var error = Assert.ThrowsExactly<NotSupportedException>(() => SafeTensors.Load(path));
        StringAssert.Contains(error.Message, "U16");
        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public void ShapeThatDoesNotMatchTheByteLengthIsRefused()
    {
        using var dir = new TempDirectory();
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        string path = RawSafeTensors.Write(dir.File("shape.safetensors"), header, RawSafeTensors.Floats(1, 2));
        Refused(path, "'a'", "[3]", "needs 12 bytes", "hold 8");
    }

    [TestMethod]
    public void NegativeDimensionIsRefused()
    {
        using var dir = new TempDirectory();
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}";
        string path = RawSafeTensors.Write(dir.File("negative.safetensors"), header, RawSafeTensors.Floats(1, 2));
        Refused(path, "'a'", "non-negative");
    }

    [TestMethod]
    public void OverflowingShapeIsRefused()
    {
        using var dir = new TempDirectory();
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}";
        string path = RawSafeTensors.Write(dir.File("overflow.safetensors"), header, RawSafeTensors.Floats(1, 2));
        Refused(path, "'a'", "too large");
    }

    [TestMethod]
    public void DuplicateNamesAreRefused()
    {
        using var dir = new TempDirectory();
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                      + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        string path = RawSafeTensors.Write(dir.File("duplicate.safetensors"), header, RawSafeTensors.Floats(1, 2));
        Refused(path, "'a' twice");
    }

    [TestMethod]
    public void NonStringMetadataIsRefused()
    {
        using var dir = new TempDirectory();
        string header = "{\"__metadata__\":{\"epoch\":3},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        string path = RawSafeTensors.Write(dir.File("metadata.safetensors"), header, RawSafeTensors.Floats(1, 2));
        Refused(path, "__metadata__.epoch");
    }

    [TestMethod]
    public void BooleanBytesOtherThanZeroOrOneAreRefused()
    {
        using var dir = new TempDirectory();
        string header = "{\"flags\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}";
        string path = RawSafeTensors.Write(dir.File("bool.safetensors"), header, [1, 2, 0]);
        Refused(path, headerIsBad: false, "'flags'", "0x02", "element 1");
    }

    [TestMethod]
    public void MissingFileAndDirectoryAreFileNotFound()
    {
        using var dir = new TempDirectory();
        var missing = Assert.ThrowsExactly<FileNotFoundException>(() => SafeTensors.Load(dir.File("nope.safetensors")));
        StringAssert.Contains(missing.Message, "nope.safetensors");
        var directory = Assert.ThrowsExactly<FileNotFoundException>(() => SafeTensors.Load(dir.Path));
        StringAssert.Contains(directory.Message, "directory");
    }
}
