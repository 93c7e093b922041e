using Kanade.Modules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Tests.Modules;

/// <summary>
/// Each stage of the model after the SSL layers, fed the reference's own intermediate tensors, reproduces the
/// reference's next tensor (tiny12, every clip).
/// </summary>
[TestClass]
public sealed class StageParityTests
{
    [TestMethod]
    [DynamicData(nameof(Fixtures.ClipRows), typeof(Fixtures))]
    public void LocalBranchReproducesContentEmbeddingAndTokens(string clip)
    {
        using var _ = no_grad();
        var golden = Fixtures.Clip("tiny12", clip);
        var encoder = Tiny12Stages.Load(new Transformer(Tiny12Stages.LocalEncoder), "local_encoder");
        var downsample = Tiny12Stages.Load(Conv1d(64, 64, kernel_size: 4, stride: 4), "conv_downsample");
        var quantizer = Tiny12Stages.Load(new FiniteScalarQuantizer(Tiny12Stages.Quantizer), "local_quantizer");

        var encoded = encoder.call(golden["local_ssl"].unsqueeze(0));
        var reduced = downsample.call(encoded.transpose(1, 2)).transpose(1, 2);
        var (embedding, indices) = quantizer.Encode(reduced);

        TensorAssert.Close(embedding[0], golden["content_embedding"], TensorAssert.Shallow, $"{clip} content_embedding");
        TensorAssert.Equal(indices[0], golden["content_token_indices"], $"{clip} content_token_indices");
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.ClipRows), typeof(Fixtures))]
    public void GlobalBranchReproducesGlobalEmbedding(string clip)
    {
        using var _ = no_grad();
        var golden = Fixtures.Clip("tiny12", clip);
        var encoder = Tiny12Stages.Load(new GlobalEncoder(Tiny12Stages.Global), "global_encoder");
        var embedding = encoder.call(golden["global_ssl"].unsqueeze(0));
        TensorAssert.Close(embedding[0], golden["global_embedding"], TensorAssert.Shallow, $"{clip} global_embedding");
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.ClipRows), typeof(Fixtures))]
    public void MelDecoderReproducesMelFromContentEmbedding(string clip)
    {
        using var _ = no_grad();
        var golden = Fixtures.Clip("tiny12", clip);
        var prenet = Tiny12Stages.Load(new Transformer(Tiny12Stages.MelPrenet), "mel_prenet");
        var upsample = Tiny12Stages.Load(ConvTranspose1d(48, 48, kernel_size: 8, stride: 8), "mel_conv_upsample");
        var decoder = Tiny12Stages.Load(new Transformer(Tiny12Stages.MelDecoder), "mel_decoder");
        var postnet = Tiny12Stages.Load(new PostNet(Tiny12Stages.PostNet), "mel_postnet");
        var expected = golden["mel_target_length"];

        var latent = prenet.call(golden["content_embedding"].unsqueeze(0));
        latent = upsample.call(latent.transpose(1, 2));
        latent = functional.interpolate(latent, size: [expected.shape[1]], mode: InterpolationMode.Linear, align_corners: false).transpose(1, 2);
        var mel = decoder.forward(latent, golden["global_embedding"].view(1, 1, -1), null).transpose(1, 2);
        mel = postnet.call(mel);

        TensorAssert.Close(mel[0], expected, TensorAssert.Deep, $"{clip} mel_target_length");
    }

    [TestMethod]
    public void QuantizerDecodeInvertsIndices()
    {
        using var _ = no_grad();
        var golden = Fixtures.Clip("tiny12", "real_front_center_48k.wav");
        var quantizer = Tiny12Stages.Load(new FiniteScalarQuantizer(Tiny12Stages.Quantizer), "local_quantizer");
        var decoded = quantizer.Decode(golden["content_token_indices"]);
        TensorAssert.Close(decoded, golden["content_embedding"], TensorAssert.Shallow, "decoded content embedding");
    }

    [TestMethod]
    public void QuantizerRejectsTokenIdsOutsideTheVocabulary()
    {
        var quantizer = new FiniteScalarQuantizer(Tiny12Stages.Quantizer);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => quantizer.Decode(tensor(new long[] { 0, 12800 })));
        StringAssert.Contains(error.Message, "[0, 12800)");
    }

    [TestMethod]
    public void FsqBuffersStayOutOfTheStateDict()
    {
        var names = new FiniteScalarQuantizer(Tiny12Stages.Quantizer).state_dict().Keys.ToArray();
        CollectionAssert.AreEquivalent(new[] { "proj_in.weight", "proj_in.bias", "proj_out.weight", "proj_out.bias" }, names);
    }

    [TestMethod]
    public void SwiGluHiddenWidthFollowsTheReferenceRounding()
    {
        Assert.AreEqual(2048, FeedForward.HiddenWidth(4 * 768, 256, null));  // 12hz local encoder
        Assert.AreEqual(1536, FeedForward.HiddenWidth(4 * 512, 256, null));  // 12hz mel decoder
        Assert.AreEqual(176, FeedForward.HiddenWidth(4 * 64, 16, null));     // tiny: int(2*256/3)=170 -> 176
        Assert.AreEqual(256, FeedForward.HiddenWidth(4 * 64, 16, 1.5));       // int(1.5*170)=255 -> 256
    }
}
