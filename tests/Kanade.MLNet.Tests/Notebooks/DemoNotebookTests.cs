using Kanade.Tests;

namespace Kanade.MLNet.Tests.Notebooks;

[TestClass]
public sealed class DemoNotebookTests
{
    static Tiny12NotebookRun? notebook;

    static NotebookRunner Run => notebook!.Runner;

    [ClassInitialize]
    public static void RunNotebook(TestContext _) => notebook = new("demo.ipynb");

    [ClassCleanup]
    public static void Cleanup() => notebook?.Dispose();

    [TestMethod]
    public void VoiceConversionKeepsTheSourcesLength()
    {
        long samples = Run.Variable<TorchSharp.torch.Tensor>("waveform").shape[0];
        Assert.AreEqual(TestData.Tiny12.TargetMelLength(samples), Run.Variable<TorchSharp.torch.Tensor>("convertedMel").shape[1]);
    }

    [TestMethod]
    public void TokensAreThoseOfTheModelOnTheSourceFile()
    {
        string source = Path.Combine(NotebookFixture.Folder, Run.Variable<string>("sourcePath"));
        using var wave = AudioFile.Load(source, TestData.Tiny12.Config.SampleRate);
        using var expected = TestData.Tiny12.Encode(wave);
        long[] tokens = Run.Variable<long[]>("tokens");
        Assert.IsNotEmpty(tokens);
        CollectionAssert.AreEqual(expected.ContentTokenIndices!.data<long>().ToArray(), tokens);
        StringAssert.Contains(Run.StandardOutput, $"{tokens.Length} content tokens");
    }

    [TestMethod]
    public void GlobalEmbeddingIsShownWithTheModelsWidth()
    {
        float[] global = Run.Variable<float[]>("globalEmbedding");
        Assert.HasCount(TestData.Tiny12.GlobalDim, global);
        StringAssert.Contains(Run.StandardOutput, $"Global embedding: {global.Length} values");
    }

    [TestMethod]
    public void MelSpectrogramsArePngImagesOfBinsByFrames()
    {
        var images = NotebookFixture.PngImages(Run.Html);
        Assert.HasCount(3, images, "the recording's, the decoded and the converted mel");
        long frames = Run.Variable<TorchSharp.torch.Tensor>("mel").shape[1];
        var (width, height) = NotebookFixture.PngSize(images[1]);
        Assert.AreEqual(frames, (long)width);
        Assert.AreEqual(TestData.Tiny12.Config.NMels, height);
    }

    [TestMethod]
    public void AudioPlayersHoldTheSourceResynthesisReferenceAndConversion()
    {
        var wavs = NotebookFixture.WavFiles(Run.Html).Select(NotebookFixture.WavInfo).ToList();
        Assert.HasCount(5, wavs, "source, original, resynthesized, reference, converted");
        long sourceSamples = Run.Variable<TorchSharp.torch.Tensor>("waveform").shape[0];
        Assert.AreEqual((sourceSamples, 24000), wavs[0]);
        Assert.AreEqual(Run.Variable<TorchSharp.torch.Tensor>("resynthesized").shape[1], wavs[2].Frames);
        Assert.AreEqual(Run.Variable<TorchSharp.torch.Tensor>("converted").shape[1], wavs[4].Frames);
    }
}
