using static TorchSharp.torch;

namespace Kanade.Tests.Model;

[TestClass]
public sealed class KanadeModelPrecisionTests
{
    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void BFloat16InferenceStaysCloseToFloat32(bool includeSsl)
    {
        var reference = TinyModels.Get("tiny12");
        var model = TinyModels.Load("tiny12");
        model.SetInferencePrecision(ScalarType.BFloat16, includeSsl);
        Assert.AreEqual(ScalarType.BFloat16, model.ComputeDtype);
        Assert.AreEqual(includeSsl ? ScalarType.BFloat16 : ScalarType.Float32, model.SslComputeDtype);

        long agree = 0, total = 0;
        foreach (string clip in Fixtures.ClipFiles)
        {
            var wave = AudioFile.Load(Fixtures.Audio(clip), 24000);
            using var half = model.Encode(wave);
            using var full = reference.Encode(wave);
            Assert.AreEqual(ScalarType.Float32, half.GlobalEmbedding!.dtype, "outputs stay float32");
            agree += half.ContentTokenIndices!.eq(full.ContentTokenIndices!).sum().item<long>();
            total += full.ContentTokenIndices!.numel();
            // Embeddings are LayerNorm outputs of unit scale: bfloat16 keeps them within a few hundredths.
            TensorAssert.Close(half.GlobalEmbedding!, full.GlobalEmbedding!, 0.1, $"{clip} global embedding");
            var mel = model.Decode(full.GlobalEmbedding!, full.ContentTokenIndices);
            TensorAssert.Close(mel, reference.Decode(full.GlobalEmbedding!, full.ContentTokenIndices), 0.1, $"{clip} mel");
        }
        // A random tiny model has no margin around FSQ rounding boundaries: most, not all, tokens survive bfloat16.
        Console.WriteLine($"bf16 (ssl {(includeSsl ? "bf16" : "fp32")}): {agree} of {total} tokens agree");
        Assert.IsGreaterThanOrEqualTo(0.5 * total, agree, $"{agree} of {total} tokens agree");
    }
}
