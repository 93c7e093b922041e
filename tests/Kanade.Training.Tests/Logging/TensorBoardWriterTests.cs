using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Kanade.Training.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Logging;

[TestClass]
public sealed class TensorBoardWriterTests
{
    static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "kanade-tb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    [TestMethod]
    public void ScalarsImagesAndAudioRoundTrip()
    {
        string directory = TempDirectory();
        string file;
        using (var writer = new TensorBoardWriter(directory))
        {
            writer.AddScalar("train/loss", 1.25, 7);
            writer.AddScalar("train/gen/mel_l1", 0.5, 5_000_000_000L);
            writer.AddImage("val/0_mel_real", new byte[2 * 3 * 3], 2, 3, 8);
            writer.AddAudio("val/0_audio_real", new float[] { 0f, 0.5f, -1f }, 24000, 9);
            file = writer.FilePath;
        }

        var values = TensorBoardEvents.Read(file);

        Assert.HasCount(4, values);
        Assert.AreEqual(("train/loss", 7L, 1.25f), (values[0].Tag, values[0].Step, values[0].Scalar!.Value));
        Assert.AreEqual(5_000_000_000L, values[1].Step);
        Assert.AreEqual(TensorBoardValueKind.Image, values[2].Kind);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, values[2].Encoded![..4]);
        Assert.AreEqual(TensorBoardValueKind.Audio, values[3].Kind);
        Assert.AreEqual("RIFF", Encoding.ASCII.GetString(values[3].Encoded![..4]));
        Assert.IsGreaterThan(1.6e9, values[0].WallTime);
    }

    [TestMethod]
    public void ReadsWhatTorchSharpsSummaryWriterWrites()
    {
        // TorchSharp's writer frames Google.Protobuf events; the reader must agree with it on framing and fields.
        string directory = TempDirectory();
        var writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(directory);
        writer.add_scalar("a/b", 2.5f, 3);
        string file = Directory.GetFiles(directory).Single();

        var values = TensorBoardEvents.Read(file);

        var scalar = values.Single();
        Assert.AreEqual(("a/b", 3L, 2.5f), (scalar.Tag, scalar.Step, scalar.Scalar!.Value));
    }

    [TestMethod]
    public void CrcsMatchTheirCheckValues()
    {
        // The standard check value of each CRC: the CRC of the ASCII digits 1..9.
        byte[] digits = Encoding.ASCII.GetBytes("123456789");
        Assert.AreEqual(0xE3069283u, Crc32.Castagnoli(digits));
        Assert.AreEqual(0xCBF43926u, Crc32.Ieee(0xFFFFFFFFu, digits) ^ 0xFFFFFFFFu);
    }

    [TestMethod]
    public void CorruptedRecordIsReported()
    {
        string directory = TempDirectory();
        string file;
        using (var writer = new TensorBoardWriter(directory))
        {
            writer.AddScalar("x", 1, 1);
            file = writer.FilePath;
        }
        byte[] bytes = File.ReadAllBytes(file);
        bytes[^6] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => TensorBoardEvents.Read(file));
        StringAssert.Contains(error.Message, "bad data CRC");
    }

    [TestMethod]
    public void MelImageIsMagmaWithTheLowestBinAtTheBottom()
    {
        // 2 bins x 3 frames: bin 0 at vmin (-8), bin 1 at vmax (5), except one frame of bin 1 at -1.5 (the middle).
        var mel = tensor(new float[,] { { -8f, -8f, -20f }, { 5f, -1.5f, 9f } });

        var (rgb, width, height) = MelImage.Render(mel);

        Assert.AreEqual((3, 2), (width, height));
        CollectionAssert.AreEqual(new byte[] { 252, 253, 191 }, rgb[0..3], "top-left: bin 1 at vmax");
        CollectionAssert.AreEqual(new byte[] { 181, 54, 122 }, rgb[3..6], "top-middle: halfway");
        CollectionAssert.AreEqual(new byte[] { 0, 0, 4 }, rgb[9..12], "bottom-left: bin 0 at vmin");
        CollectionAssert.AreEqual(new byte[] { 0, 0, 4 }, rgb[15..18], "below vmin clips");
    }

    [TestMethod]
    public void PngHoldsTheGivenPixels()
    {
        byte[] pixels = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30];     // 2 x 2

        byte[] png = PngEncoder.EncodeRgb(pixels, 2, 2);

        Assert.AreEqual(2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.AreEqual(2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        int idat = IndexOf(png, "IDAT");
        int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(idat - 4));
        using var zlib = new ZLibStream(new MemoryStream(png, idat + 4, length), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        CollectionAssert.AreEqual(new byte[] { 0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 10, 20, 30 }, raw.ToArray());
    }

    static int IndexOf(byte[] data, string text)
    {
        byte[] needle = Encoding.ASCII.GetBytes(text);
        for (int i = 0; i + needle.Length <= data.Length; i++)
            if (data.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }
}
