using Kanade.Cli.LongAudio;
using Kanade.Tests;
using static TorchSharp.torch;

namespace Kanade.Cli.Tests;

/// <summary>Long recordings in overlapping windows: the plan, the short path, agreement with whole-utterance encoding.</summary>
[TestClass]
public sealed class WindowedEncoderTests
{
    static KanadeModel Model => CliHarness.TinyModel;

    /// <summary>The fixture clips end to end, repeated to <paramref name="seconds"/>.</summary>
    static Tensor LongRecording(double seconds)
    {
        var joined = cat([.. Fixtures.ClipFiles.Select(c => AudioFile.Load(Fixtures.Audio(c), Model.Config.SampleRate))], 0);
        long samples = (long)(seconds * Model.Config.SampleRate);
        return joined.repeat((samples + joined.shape[0] - 1) / joined.shape[0]).narrow(0, 0, samples).contiguous();
    }

    [TestMethod]
    public void WindowsStepByWindowLessContextAndKeepTheirCentres()
    {
        var encoder = new WindowedEncoder(Model, windowSeconds: 2.4, contextSeconds: 0.4);  // 30 tokens, 5 of context
        Assert.AreEqual((30, 5, 1920L), (encoder.WindowTokens, encoder.ContextTokens, encoder.SamplesPerToken));
        CollectionAssert.AreEqual(new (long, long, long)[] { (0, 0, 25), (20, 25, 45), (40, 45, 65), (60, 65, 85), (70, 85, 100) },
            encoder.PlanWindows(100).ToArray());
    }

    [TestMethod]
    public void WithinTheWindowItIsKanadeModelEncode()
    {
        var wave = AudioFile.Load(Fixtures.Audio("real_rear_left_48k.wav"), Model.Config.SampleRate);
        var encoder = new WindowedEncoder(Model, 30, 5);
        Assert.IsFalse(encoder.IsWindowed(wave.shape[0]));
        using var windowed = encoder.Encode(wave);
        using var whole = Model.Encode(wave);
        TensorAssert.Equal(windowed.ContentTokenIndices!, whole.ContentTokenIndices!, "tokens");
        TensorAssert.Identical(windowed.GlobalEmbedding!, whole.GlobalEmbedding!, "global embedding");
    }

    [TestMethod]
    public void StitchingAndChunkedLocalEncoderAreExactWhenWavLMSeesEverything()
    {
        // One WavLM window holding the whole recording, the local encoder in chunks of 7 tokens with its reach as
        // context: the windowed machinery (frame grid, stitching, whole-recording normalisation, chunking) adds nothing.
        var wave = LongRecording(6);
        var encoder = new WindowedEncoder(Model, windowSeconds: 30, contextSeconds: 5) { ChunkTokens = 7 };
        using var _ = inference_mode();
        var (tokens, global) = encoder.EncodeWindows(wave);
        using var whole = Model.Encode(wave);
        TensorAssert.Equal(tokens, whole.ContentTokenIndices!, "tokens");
        TensorAssert.Close(global, whole.GlobalEmbedding!, 1e-6, "global embedding");
    }

    [TestMethod]
    public void LongRecordingsGiveTheWholeUtterancesTokenCount()
    {
        var wave = LongRecording(20);
        var encoder = new WindowedEncoder(Model, windowSeconds: 8, contextSeconds: 2);
        Assert.IsTrue(encoder.IsWindowed(wave.shape[0]));
        using var windowed = encoder.Encode(wave);
        using var whole = Model.Encode(wave);
        Assert.AreEqual(whole.ContentTokenIndices!.shape[0], windowed.ContentTokenIndices!.shape[0]);
        Assert.AreEqual(encoder.TokenCount(wave.shape[0]), whole.ContentTokenIndices!.shape[0]);
        Assert.AreEqual(4, encoder.PlanWindows(whole.ContentTokenIndices!.shape[0]).Count);
        TensorAssert.Identical(windowed.ContentEmbedding!, Model.DecodeTokenIndices(windowed.ContentTokenIndices!), "content embedding of the tokens");
    }
}
