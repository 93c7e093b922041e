using Kanade.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Tests.IO;

[TestClass]
public sealed class HuggingFaceWavLMTests
{
    /// <summary>WavLM base+ with torchaudio names and real shapes, as data-free meta tensors.</summary>
    static Dictionary<string, Tensor> TorchaudioBasePlus() =>
        Fixtures.ManifestShapes("wavlm_base_plus_torchaudio").ToDictionary(p => p.Key, p => empty(p.Value, float32, device: META));

    [TestMethod]
    public void TorchaudioBasePlusRoundTripsThroughHuggingFaceNames()
    {
        var torchaudio = TorchaudioBasePlus();

        var huggingFace = HuggingFaceWavLM.ToHuggingFace(torchaudio);
        var back = HuggingFaceWavLM.ToTorchaudio(huggingFace);

        CollectionAssert.AreEquivalent(torchaudio.Keys.ToList(), back.Keys.ToList());
        foreach (var (name, t) in torchaudio)
            CollectionAssert.AreEqual(t.shape, back[name].shape, name);
    }

    [TestMethod]
    public void HuggingFaceNamesAreThoseOfTransformersWavLMModel()
    {
        var huggingFace = HuggingFaceWavLM.ToHuggingFace(TorchaudioBasePlus());

        string[] expected =
        [
            "feature_extractor.conv_layers.0.conv.weight", "feature_extractor.conv_layers.0.layer_norm.weight",
            "feature_projection.layer_norm.weight", "feature_projection.projection.weight",
            "encoder.pos_conv_embed.conv.parametrizations.weight.original0", "encoder.layer_norm.bias",
            "encoder.layers.0.attention.q_proj.weight", "encoder.layers.0.attention.k_proj.bias",
            "encoder.layers.11.attention.v_proj.weight", "encoder.layers.0.attention.out_proj.weight",
            "encoder.layers.0.attention.rel_attn_embed.weight", "encoder.layers.3.attention.gru_rel_pos_const",
            "encoder.layers.3.attention.gru_rel_pos_linear.weight", "encoder.layers.5.feed_forward.intermediate_dense.weight",
            "encoder.layers.5.final_layer_norm.weight",
        ];
        foreach (string name in expected) Assert.IsTrue(huggingFace.ContainsKey(name), name);
        CollectionAssert.AreEqual(new long[] { 768, 768 }, huggingFace["encoder.layers.0.attention.q_proj.weight"].shape);
        Assert.IsFalse(huggingFace.Keys.Any(k => k.Contains("in_proj")));
    }

    [TestMethod]
    public void QueryKeyValueAreConcatenatedInThatOrder()
    {
        var sd = new Dictionary<string, Tensor>
        {
            ["wavlm.encoder.layers.0.attention.q_proj.bias"] = full(2, 1f),
            ["wavlm.encoder.layers.0.attention.k_proj.bias"] = full(2, 2f),
            ["wavlm.encoder.layers.0.attention.v_proj.bias"] = full(2, 3f),
            ["wavlm.encoder.pos_conv_embed.conv.weight_g"] = ones(1, 1, 3),
            ["wavlm.encoder.layers.0.attention.out_proj.bias"] = zeros(2),
            ["wavlm.masked_spec_embed"] = zeros(2),
        };

        var torchaudio = HuggingFaceWavLM.ToTorchaudio(sd);

        CollectionAssert.AreEqual(new float[] { 1, 1, 2, 2, 3, 3 },
            torchaudio["encoder.transformer.layers.0.attention.attention.in_proj_bias"].data<float>().ToArray());
        Assert.IsTrue(torchaudio.ContainsKey("encoder.transformer.pos_conv_embed.conv.parametrizations.weight.original0"));
        Assert.IsTrue(torchaudio.ContainsKey("encoder.transformer.layers.0.attention.attention.out_proj.bias"));
        Assert.HasCount(3, torchaudio);
    }

    [TestMethod]
    public void MissingProjectionIsAnErrorNamingTheLayer()
    {
        var sd = new Dictionary<string, Tensor>
        {
            ["encoder.layers.4.attention.q_proj.weight"] = ones(2, 2),
            ["encoder.layers.4.attention.k_proj.weight"] = ones(2, 2),
        };
        var error = Assert.ThrowsExactly<InvalidDataException>(() => HuggingFaceWavLM.ToTorchaudio(sd));
        StringAssert.Contains(error.Message, "layer 4");
    }

    [TestMethod]
    public void DetectsHuggingFaceNames()
    {
        Assert.IsTrue(HuggingFaceWavLM.IsHuggingFace(["feature_projection.projection.weight"]));
        Assert.IsFalse(HuggingFaceWavLM.IsHuggingFace(TorchaudioBasePlus().Keys));
    }
}
