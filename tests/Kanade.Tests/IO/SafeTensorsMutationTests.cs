using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Tests.IO;

/// <summary>
/// Truncates and bit-flips a valid file at many deterministic positions: every outcome must be the file's data
/// as it now stands, or an <see cref="InvalidDataException"/>, never another exception, a crash or a hang.
/// </summary>
[TestClass]
public sealed class SafeTensorsMutationTests
{
    static string Source => Fixtures.Path("tiny12", "clips", "short_24k.safetensors");

    [TestMethod]
    public void TruncatedFilesAreAlwaysRefusedCleanly()
    {
        byte[] original = File.ReadAllBytes(Source);
        long headerEnd = 8 + BitConverter.ToInt64(original, 0);
        using var dir = new TempDirectory();
        string path = dir.File("cut.safetensors");
        // Every length inside the first 64 bytes and the header, then 100 spread over the data.
        var lengths = Enumerable.Range(0, 64).Select(i => (long)i)
            .Concat(Enumerable.Range(0, 60).Select(i => 64 + i * (headerEnd - 64) / 60))
            .Concat(Enumerable.Range(0, 100).Select(i => headerEnd + i * (original.Length - headerEnd) / 100))
            .Append(original.Length - 1)
            .Distinct();
        int cases = 0;
        foreach (long length in lengths)
        {
            File.WriteAllBytes(path, original.AsSpan(0, (int)length).ToArray());
            Assert.ThrowsExactly<InvalidDataException>(() => SafeTensors.Load(path), $"truncated to {length} bytes");
            cases++;
        }
        Assert.IsGreaterThan(200, cases);
    }

    [TestMethod]
    public void BitFlipsGiveTheFlippedDataOrAClearError()
    {
        byte[] original = File.ReadAllBytes(Source);
        long headerEnd = 8 + BitConverter.ToInt64(original, 0);
        var expected = LoadInDataOrder(Source);
        using var dir = new TempDirectory();
        string path = dir.File("flip.safetensors");

        var random = new Random(20240611);
        // All 64 bits of the length, 160 header bytes, 100 data bytes.
        var flips = Enumerable.Range(0, 64).Select(bit => (Position: bit / 8, Bit: bit % 8))
            .Concat(Enumerable.Range(0, 160).Select(_ => (Position: random.Next(8, (int)headerEnd), Bit: random.Next(8))))
            .Concat(Enumerable.Range(0, 100).Select(_ => (Position: random.Next((int)headerEnd, original.Length), Bit: random.Next(8))));

        int refused = 0, loaded = 0;
        foreach (var (position, bit) in flips)
        {
            using var scope = NewDisposeScope();
            byte[] mutated = (byte[])original.Clone();
            mutated[position] ^= (byte)(1 << bit);
            File.WriteAllBytes(path, mutated);
            string what = $"bit {bit} of byte {position}";
            List<(string Name, Tensor Tensor)> actual;
            try
            {
                actual = LoadInDataOrder(path);
            }
            catch (InvalidDataException e)
            {
                StringAssert.Contains(e.Message, path, what);
                refused++;
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"{what}: {e.GetType().Name} instead of InvalidDataException: {e.Message}");
                return;
            }
            loaded++;
            // The loader must return exactly the bytes the file now holds, tensor by tensor.
            Assert.HasCount(expected.Count, actual, what);
            long dataPosition = position - headerEnd;
            long offset = 0;
            for (int i = 0; i < expected.Count; i++)
            {
                byte[] want = expected[i].Tensor.contiguous().bytes.ToArray();
                if (dataPosition >= offset && dataPosition < offset + want.Length)
                    want[dataPosition - offset] ^= (byte)(1 << bit);
                CollectionAssert.AreEqual(want, actual[i].Tensor.contiguous().bytes.ToArray(), $"{what}: tensor {i}");
                offset += want.Length;
            }
        }
        Assert.IsGreaterThan(50, refused);
        Assert.IsGreaterThan(50, loaded);
    }

    static List<(string Name, Tensor Tensor)> LoadInDataOrder(string path)
    {
        var header = SafeTensors.ReadHeader(path);
        var tensors = SafeTensors.Load(path);
        return header.Tensors.Select(e => (e.Name, tensors[e.Name])).ToList();
    }
}
