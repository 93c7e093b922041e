using static TorchSharp.torch;

namespace Kanade.Tests.Model;

/// <summary>Padded batches give every item what it gets alone.</summary>
[TestClass]
public sealed class KanadeModelBatchTests
{
    [TestMethod]
    [DataRow("tiny12")]
    [DataRow("tiny25")]
    public void EncodeBatchOfAllClipsEqualsSingleEncodes(string set)
    {
        var model = TinyModels.Get(set);
        // Lengths from 0.25 s to 4 s in one batch: most items carry a lot of padding.
        var waves = Fixtures.ClipFiles.Select(c => AudioFile.Load(Fixtures.Audio(c), 24000)).ToArray();
        var batch = model.EncodeBatch(waves);
        long differing = 0, total = 0;
        for (int i = 0; i < waves.Length; i++)
        {
            using var single = model.Encode(waves[i]);
            CollectionAssert.AreEqual(single.ContentTokenIndices!.shape, batch[i].ContentTokenIndices!.shape, Fixtures.ClipFiles[i]);
            differing += batch[i].ContentTokenIndices!.ne(single.ContentTokenIndices!).sum().item<long>();
            total += single.ContentTokenIndices!.numel();
            TensorAssert.Close(batch[i].GlobalEmbedding!, single.GlobalEmbedding!, 1e-4, $"{Fixtures.ClipFiles[i]} global embedding");
            TensorAssert.Close(batch[i].ContentEmbedding!, single.ContentEmbedding!, 1e-4, $"{Fixtures.ClipFiles[i]} content embedding");
        }
        Assert.IsLessThanOrEqualTo(total / 1000, differing, $"{differing} of {total} tokens differ between batch and single encodes");
    }

    [TestMethod]
    [DataRow("tiny12")]
    [DataRow("tiny25")]
    public void DecodeBatchEqualsSingleDecodes(string set)
    {
        var model = TinyModels.Get(set);
        var golden = Fixtures.ClipFiles.Select(c => Fixtures.Clip(set, c)).ToArray();
        var globals = golden.Select(g => g["global_embedding"]).ToArray();
        var tokens = golden.Select(g => g["content_token_indices"]).ToArray();
        var lengths = golden.Select(g => g["wave"].shape[0]).ToArray();
        var batch = model.DecodeBatch(globals, tokens, lengths);
        for (int i = 0; i < golden.Length; i++)
            TensorAssert.Close(batch[i], model.Decode(globals[i], tokens[i], targetAudioLength: lengths[i]), 1e-4, $"{Fixtures.ClipFiles[i]} mel");
        var estimated = model.DecodeBatch(globals, tokens);
        for (int i = 0; i < golden.Length; i++)
            TensorAssert.Close(estimated[i], golden[i]["mel_from_tokens"], TensorAssert.Deep, $"{Fixtures.ClipFiles[i]} mel_from_tokens");
    }

    [TestMethod]
    public void EqualLengthBatchSkipsMasksAndStillEqualsSingleEncodes()
    {
        var model = TinyModels.Get("tiny12");
        var wave = AudioFile.Load(Fixtures.Audio("real_front_center_48k.wav"), 24000);
        var waves = new[] { wave, wave.flip(0), wave * 0.5f };
        var batch = model.EncodeBatch(waves);
        for (int i = 0; i < waves.Length; i++)
        {
            using var single = model.Encode(waves[i]);
            TensorAssert.Equal(batch[i].ContentTokenIndices!, single.ContentTokenIndices!, $"item {i} tokens");
            TensorAssert.Close(batch[i].GlobalEmbedding!, single.GlobalEmbedding!, 1e-4, $"item {i} global embedding");
        }
    }

    [TestMethod]
    public void NonFiniteSamplesInABatchNameTheItem()
    {
        var bad = randn(4800);
        bad[7] = tensor(float.NaN);
        var error = Assert.ThrowsExactly<ArgumentException>(() => TinyModels.Get("tiny12").EncodeBatch([randn(4800), randn(6000), bad]));
        StringAssert.Contains(error.Message, "waveforms[2]");
    }

    [TestMethod]
    public void EmptyBatchesGiveEmptyResults()
    {
        Assert.IsEmpty(TinyModels.Get("tiny12").EncodeBatch([]));
        Assert.IsEmpty(TinyModels.Get("tiny12").DecodeBatch([], []));
    }

    [TestMethod]
    public void BatchErrorsNameTheItem()
    {
        var model = TinyModels.Get("tiny12");
        var error = Assert.ThrowsExactly<ArgumentException>(() => model.EncodeBatch([randn(4800), zeros(10)]));
        StringAssert.Contains(error.Message, "waveforms[1]");
        var decodeError = Assert.ThrowsExactly<ArgumentException>(() => model.DecodeBatch([zeros(16), zeros(8)], [tensor(new long[] { 1 }), tensor(new long[] { 2 })]));
        StringAssert.Contains(decodeError.Message, "globalEmbedding[1]");
    }
}
