using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Tests.IO;

/// <summary>
/// Truncates and bit-flips real PyTorch checkpoints: pickles carry no checksum, so a flip may load as different
/// data, but the reader must never crash, hang, run anything, or throw anything but an <see cref="InvalidDataException"/>.
/// </summary>
[TestClass]
public sealed class TorchCheckpointMutationTests
{
    [TestMethod]
    [DataRow("state_dict.pt")]
    [DataRow("state_dict_legacy.pt")]
    [DataRow("lightning.ckpt")]
    public void DamagedCheckpointsLoadOrFailCleanly(string file)
    {
        byte[] original = File.ReadAllBytes(Checkpoints.Path(file));
        using var dir = new TempDirectory();
        string path = dir.File(file);
        var random = new Random(file.Length * 7919);

        var mutations = Enumerable.Range(0, 40).Select(i => (Cut: i * original.Length / 40, Position: -1, Bit: 0))
            .Concat(Enumerable.Range(0, 160).Select(_ => (Cut: original.Length, Position: random.Next(original.Length), Bit: random.Next(8))));
        int refused = 0, loaded = 0;
        foreach (var (cut, position, bit) in mutations)
        {
            using var scope = NewDisposeScope();
            byte[] mutated = original[..cut];
            if (position >= 0) mutated[position] ^= (byte)(1 << bit);
            File.WriteAllBytes(path, mutated);
            string what = position >= 0 ? $"{file}: bit {bit} of byte {position}" : $"{file}: cut to {cut} bytes";
            try
            {
                var sd = TorchCheckpoint.Load(path);
                foreach (var tensor in sd.Values) tensor.sum();   // touch every byte that was read
                loaded++;
            }
            catch (InvalidDataException e)
            {
                StringAssert.Contains(e.Message, path, what);
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{what}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.IsGreaterThan(40, refused, file);
        Assert.IsGreaterThan(0, loaded, file);
    }
}
