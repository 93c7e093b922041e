using Kanade.Training.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Data;

[TestClass]
public sealed class ChunkedAudioDatasetTests
{
    static ChunkedAudioDataset Build(SyntheticAudio audio, IReadOnlyList<AudioManifestEntry> manifest, int? chunk, int? hop = null,
        int? target = null, bool normalize = false) =>
        new(manifest, new ChunkedAudioDatasetOptions { AudioRoot = "root", ChunkSize = chunk, HopSize = hop, TargetSampleRate = target, Normalize = normalize },
            audio.Read, SyntheticAudio.Decimate);

    static long[] Offsets(ChunkedAudioDataset dataset) => [.. dataset.Chunks.Select(c => c.FrameOffset)];

    [TestMethod]
    public void HopsThatEndExactlyAtTheFileAddNoExtraChunk()
    {
        var audio = new SyntheticAudio();
        // length 10, chunk 4, hop 3: starts 0, 3, 6 (6 + 4 = 10); the end-aligned start 6 is already there.
        var dataset = Build(audio, [audio.Add("a", 10, 24000)], chunk: 4, hop: 3);
        CollectionAssert.AreEqual(new long[] { 0, 3, 6 }, Offsets(dataset));
        Assert.IsTrue(dataset.Chunks.All(c => c.FrameCount == 4));
    }

    [TestMethod]
    public void LastChunkIsAlignedToTheEnd()
    {
        var audio = new SyntheticAudio();
        // length 11, chunk 4, hop null = 4: starts 0, 4; then the end-aligned 11 - 4 = 7 (> 4) is added.
        var dataset = Build(audio, [audio.Add("a", 11, 24000)], chunk: 4);
        CollectionAssert.AreEqual(new long[] { 0, 4, 7 }, Offsets(dataset));
    }

    [TestMethod]
    public void ShortFileGivesOneZeroPaddedChunk()
    {
        var audio = new SyntheticAudio();
        var dataset = Build(audio, [audio.Add("a", 3, 24000)], chunk: 5);
        Assert.AreEqual(new AudioChunk("a", 0, 3), dataset.Chunks.Single());
        using var waveform = dataset[0].Waveform;
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 0, 0 }, waveform.data<float>().ToArray());
        CollectionAssert.AreEqual(new long[] { 1, 5 }, waveform.shape);
    }

    [TestMethod]
    public void WithoutChunkSizeEachFileIsOneItem()
    {
        var audio = new SyntheticAudio();
        var dataset = Build(audio, [audio.Add("a", 7, 24000), audio.Add("b", 3, 24000)], chunk: null);
        CollectionAssert.AreEqual(new[] { new AudioChunk("a", 0, 7), new AudioChunk("b", 0, 3) }, dataset.Chunks.ToArray());
    }

    [TestMethod]
    public void ChunksAreCountedAtTheTargetRateAndReadAtTheFilesRate()
    {
        var audio = new SyntheticAudio();
        // 20 frames at 48 kHz = int(20 * 24000 / 48000) = 10 target samples; chunk 4, hop 4: starts 0, 4, then 6.
        var dataset = Build(audio, [audio.Add("a", 20, 48000)], chunk: 4, target: 24000);
        CollectionAssert.AreEqual(new long[] { 0, 4, 6 }, Offsets(dataset));
        using var waveform = dataset[1].Waveform;
        // Target offset 4 -> file offset 8, 8 frames read, decimated by 2: samples 9, 11, 13, 15.
        Assert.AreEqual(("root/a.wav", 8L, 8L), audio.Reads.Single());
        CollectionAssert.AreEqual(new float[] { 9, 11, 13, 15 }, waveform.data<float>().ToArray());
        Assert.AreEqual(24000, dataset[1].SampleRate);
    }

    [TestMethod]
    public void ChannelsAreAveragedAndTheChunkIsNormalisedByItsPeak()
    {
        var audio = new SyntheticAudio();
        var samples = new float[,] { { 1, -4, 2 }, { 3, 0, 2 } };      // mean over channels: [2, -2, 2]
        var dataset = Build(audio, [audio.Add("a", samples, 24000)], chunk: null, normalize: true);
        using var waveform = dataset[0].Waveform;
        double peak = 2 + 1e-8;
        CollectionAssert.AreEqual(new[] { 2 / peak, -2 / peak, 2 / peak }.Select(v => (float)v).ToArray(), waveform.data<float>().ToArray());
        CollectionAssert.AreEqual(new long[] { 1, 3 }, waveform.shape);
    }

    [TestMethod]
    public void FileNeedingResamplingWithoutResamplerIsRejected()
    {
        var audio = new SyntheticAudio();
        var error = Assert.ThrowsExactly<ArgumentException>(() => new ChunkedAudioDataset(
            [audio.Add("a", 10, 16000)], new() { TargetSampleRate = 24000 }, audio.Read));
        StringAssert.Contains(error.Message, "'a.wav' is at 16000 Hz and the dataset's sample_rate is 24000 Hz, but no resampler was given");
    }
}
