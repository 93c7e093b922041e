using static TorchSharp.torch;

namespace Kanade.Tests.Audio;

/// <summary>
/// Truncated and bit-flipped WAV files: every read either returns the samples the file really holds or raises
/// AudioFileException; never another exception, a crash or a hang.
/// </summary>
[TestClass]
public sealed class WavMutationTests
{
    const int Seed = 20240611;

    readonly TempDirectory folder = new();

    [TestCleanup]
    public void DeleteFolder() => folder.Dispose();

    [TestMethod]
    [Timeout(120_000)]
    public void TruncatedPcm16WavIsEitherIntactOrRefused() =>
        RunTruncations(File.ReadAllBytes(Fixtures.Audio("short_24k.wav")), headerBytes: 44);

    [TestMethod]
    [Timeout(120_000)]
    public void BitFlippedPcm16WavIsEitherFaithfulOrRefused() =>
        RunBitFlips(File.ReadAllBytes(Fixtures.Audio("short_24k.wav")), headerBytes: 44, bytesPerSample: 2);

    [TestMethod]
    [Timeout(120_000)]
    public void TruncatedFloatStereoWavIsEitherIntactOrRefused()
    {
        byte[] wav = FloatStereoWav(out int headerBytes);
        RunTruncations(wav, headerBytes);
    }

    [TestMethod]
    [Timeout(120_000)]
    public void BitFlippedFloatStereoWavIsEitherFaithfulOrRefused()
    {
        byte[] wav = FloatStereoWav(out int headerBytes);
        RunBitFlips(wav, headerBytes, bytesPerSample: 4);
    }

    /// <summary>A 2-channel float WAV as AudioFile.Write makes it (with libsndfile's fact and PEAK chunks).</summary>
    byte[] FloatStereoWav(out int headerBytes)
    {
        string path = folder.File("float.wav");
        using var samples = tensor(TestAudio.Sine(1500, 2, 16000), [1500, 2]).t();
        AudioFile.Write(path, samples, 16000, AudioEncoding.Float32);
        byte[] bytes = File.ReadAllBytes(path);
        headerBytes = bytes.Length - 1500 * 2 * 4;
        return bytes;
    }

    void RunTruncations(byte[] original, int headerBytes)
    {
        using var scope = NewDisposeScope();
        string source = folder.File("source.wav");
        File.WriteAllBytes(source, original);
        var expected = AudioFile.Read(source);
        var random = new Random(Seed);
        // Every cut inside the header, then cuts spread over the samples.
        var lengths = Enumerable.Range(0, headerBytes + 8).Concat(Enumerable.Range(0, 120).Select(_ => random.Next(original.Length)));
        var outcomes = new Dictionary<string, int>();
        foreach (int length in lengths)
        {
            string outcome = Attempt(original[..length], $"cut at {length} of {original.Length}", result =>
                TensorAssert.Close(result, expected, 0, $"a WAV cut at {length} bytes read successfully but differs"));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        Console.WriteLine("truncations: " + string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}")));
        Assert.AreEqual(0, outcomes.GetValueOrDefault("read"), "a truncated WAV was read as if complete");
    }

    void RunBitFlips(byte[] original, int headerBytes, int bytesPerSample)
    {
        using var scope = NewDisposeScope();
        string source = folder.File("source.wav");
        File.WriteAllBytes(source, original);
        var expected = AudioFile.Read(source);
        var expectedInfo = AudioFile.Info(source);
        var random = new Random(Seed);
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < 240; i++)
        {
            // Half the flips land in the header, where they change what the file claims.
            int position = i % 2 == 0 ? random.Next(headerBytes) : random.Next(original.Length);
            int bit = random.Next(8);
            byte[] mutated = (byte[])original.Clone();
            mutated[position] ^= (byte)(1 << bit);
            string what = $"bit {bit} of byte {position} flipped";
            string outcome = Attempt(mutated, what, result => CheckFaithful(result, expected, expectedInfo, mutated, position, headerBytes, bytesPerSample, what));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        Console.WriteLine("bit flips: " + string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}")));
    }

    /// <summary>
    /// A flipped file that still reads must be faithful: where it claims the original layout (channels, encoding), every
    /// sample equals the original except the one holding the flipped bit; a changed layout claims other samples.
    /// </summary>
    void CheckFaithful(Tensor result, Tensor expected, AudioInfo expectedInfo, byte[] mutated, int position, int headerBytes,
        int bytesPerSample, string what)
    {
        string path = folder.File("case.wav");
        var info = AudioFile.Info(path);
        Assert.AreEqual(info.Frames, result.shape[1], $"{what}: Read returned {result.shape[1]} frames, Info claims {info.Frames}");
        if (info.Channels != expectedInfo.Channels || info.Subtype != expectedInfo.Subtype) return;
        Assert.IsLessThanOrEqualTo(expected.shape[1], result.shape[1], $"{what}: more frames than the file holds");
        var prefix = expected.narrow(1, 0, result.shape[1]);
        var differs = result.ne(prefix);
        if (position >= headerBytes && position < headerBytes + expected.numel() * bytesPerSample)
        {
            long sample = (position - headerBytes) / bytesPerSample;
            long frame = sample / expectedInfo.Channels, channel = sample % expectedInfo.Channels;
            if (frame < result.shape[1]) differs[channel, frame] = false;
        }
        long count = differs.sum().item<long>();
        Assert.AreEqual(0L, count, $"{what}: {count} samples differ from the original outside the flipped one");
    }

    string Attempt(byte[] bytes, string what, Action<Tensor> check)
    {
        string path = folder.File("case.wav");
        File.WriteAllBytes(path, bytes);
        Tensor result;
        try
        {
            result = AudioFile.Read(path);
        }
        catch (AudioFileException)
        {
            return "refused";
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} instead of AudioFileException: {e.Message}");
            throw;
        }
        using (result) check(result);
        return "read";
    }
}
