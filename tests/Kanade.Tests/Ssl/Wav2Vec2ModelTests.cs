using TorchSharp;
using Kanade.Ssl;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

[TestClass]
public sealed class Wav2Vec2ModelTests
{
    public TestContext TestContext { get; set; } = null!;

    // The resampler kernel (2, 1, 23) of 24 kHz -> 16 kHz, which the manifest's SSL figure includes.
    const long ResamplerKernelElements = 2 * 1 * 23;

    /// <summary>The full-size preset, built once for the tests that only read its state dict.</summary>
    static readonly Lazy<Wav2Vec2Model> basePlus = new(() => SslPresets.Build("wavlm_base_plus"));

    static Dictionary<string, long[]> BasePlusShapes() => basePlus.Value.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);

    [TestMethod]
    public void WavLMBasePlusPresetHasTorchaudioStateDictNamesAndShapes()
    {
        TensorAssert.SameShapes(Fixtures.ManifestShapes("wavlm_base_plus_torchaudio"), BasePlusShapes(), "wavlm_base_plus vs torchaudio");
        var actual = basePlus.Value.state_dict();
        foreach (var entry in Fixtures.Manifests.RootElement.GetProperty("wavlm_base_plus_torchaudio").EnumerateObject())
        {
            Assert.AreEqual("float32", entry.Value[1].GetString(), entry.Name);
            Assert.AreEqual(ScalarType.Float32, actual[entry.Name].dtype, entry.Name);
        }
    }

    [TestMethod]
    public void WavLMBasePlusPresetMatchesTheSslPartOf12hzFullStateDict()
    {
        const string prefix = "ssl_feature_extractor.model.";
        var full = Fixtures.ManifestShapes("12hz", "full_state_dict")
            .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[prefix.Length..], p => p.Value);
        TensorAssert.SameShapes(full, BasePlusShapes(), "wavlm_base_plus vs the SSL part of 12hz");
    }

    [TestMethod]
    public void WavLMBasePlusPresetHas94381168ParametersPlusTheResamplerKernelMakes94381214()
    {
        long parameters = basePlus.Value.parameters().Sum(p => p.numel());
        long manifestSslFigure = Fixtures.Manifests.RootElement.GetProperty("12hz").GetProperty("ssl_params").GetInt64();

        Assert.AreEqual(94_381_168L, parameters);
        Assert.AreEqual(94_381_214L, manifestSslFigure);
        Assert.AreEqual(manifestSslFigure, parameters + ResamplerKernelElements);
    }

    [TestMethod]
    public void NewModelStartsItsGroupNormAtOneAndZeroAsPyTorchDoes()
    {
        using var model = new Wav2Vec2Model(TinySsl.Architecture("tiny12"));
        var state = model.state_dict();
        Assert.IsTrue(state["feature_extractor.conv_layers.0.layer_norm.weight"].Equals(ones(32)));
        Assert.IsTrue(state["feature_extractor.conv_layers.0.layer_norm.bias"].Equals(zeros(32)));
    }

    [TestMethod]
    public void TinyModelHasTheFixtureWeightNamesInBothSets()
    {
        foreach (var set in Fixtures.Sets)
        {
            using var model = TinySsl.Load(set);
            Assert.AreEqual(9, model.NumLayers, set);
            Assert.AreEqual(64, model.FeatureDim, set);
            Assert.IsTrue(model.IsWavLM, set);
        }
    }

    [TestMethod]
    public void PaddedBatchGivesEachItemTheLayersOfItsOwnRun()
    {
        using var model = TinySsl.Load("tiny12");
        var shortClip = Fixtures.Clip("tiny12", "short_24k.wav")["resampled_16k"];            // 4241 samples
        var longClip = Fixtures.Clip("tiny12", "espeak_default_22k.wav")["resampled_16k"];
        AssertBatchEqualsSingles(model, shortClip, longClip);
    }

    [TestMethod]
    public void PaddedBatchGivesEachItemItsOwnLayersForPreNormLayerNormWav2Vec2()
    {
        // wav2vec 2.0 large-lv60k layout (per-layer LayerNorm extractor, pre-norm layers, waveform
        // normalisation, plain attention) at tiny size with random weights.
        var architecture = TinySsl.Architecture("tiny12") with
        {
            ExtractorMode = "layer_norm",
            ExtractorConvBias = true,
            EncoderLayerNormFirst = true,
            EncoderNumBuckets = null,
            EncoderMaxDistance = null,
        };
        manual_seed(7);
        using var model = new Wav2Vec2Model(architecture, normalizeWaveform: true);
        model.eval();
        Assert.IsFalse(model.IsWavLM);
        var shortClip = Fixtures.Clip("tiny12", "short_24k.wav")["resampled_16k"];
        var longClip = Fixtures.Clip("tiny12", "real_front_center_48k.wav")["resampled_16k"];
        AssertBatchEqualsSingles(model, shortClip, longClip);
    }

    [TestMethod]
    public void Bf16BatchesAreAsCloseToFloat32AsBf16SingleRuns()
    {
        // bf16 batches write WavLM's gated bias as a rank-one product and the padded keys into it (KeyPadding.MaskKeys);
        // single utterances keep the broadcast bias. Both must land within bf16 rounding of the float32 run of each item:
        // a misplaced bias or an unmasked padded key would be off by far more. Lengths on the device are read back first
        // and must give the same.
        // On $KANADE_TEST_DEVICE: on CUDA the batches run through cuDNN's attention, as tokenize runs them.
        using var model = TinySsl.Load("tiny12");
        using var scope = NewDisposeScope();
        model.to(Fixtures.Device);
        var shortClip = Fixtures.Clip("tiny12", "short_24k.wav")["resampled_16k"].to(Fixtures.Device);
        var longClip = Fixtures.Clip("tiny12", "espeak_default_22k.wav")["resampled_16k"].to(Fixtures.Device);
        var exact = new[] { shortClip, longClip }.Select(c => model.ExtractFeatures(c.unsqueeze(0)).Layers).ToArray();

        model.to(ScalarType.BFloat16);
        var singles = new[] { shortClip, longClip }.Select(c => model.ExtractFeatures(c.unsqueeze(0).to(ScalarType.BFloat16)).Layers).ToArray();
        long samples = longClip.shape[0];
        var padded = stack([nn.functional.pad(shortClip, [0, samples - shortClip.shape[0]]), longClip]).to(ScalarType.BFloat16);
        var hostLengths = tensor(new[] { shortClip.shape[0], samples });
        var (ragged, _) = model.ExtractFeatures(padded, hostLengths);
        var (raggedOnDevice, _) = model.ExtractFeatures(padded, hostLengths.to(Fixtures.Device));
        var (equal, _) = model.ExtractFeatures(stack([longClip, longClip]).to(ScalarType.BFloat16));

        long[] frames = [model.GetOutputFrames(shortClip.shape[0]), model.GetOutputFrames(samples)];
        double Error(Tensor actual, Tensor expected) =>
            (actual.to(ScalarType.Float32) - expected).abs().max().item<float>() / expected.abs().max().item<float>();
        var report = new List<string>();
        for (int layer = 0; layer < model.NumLayers; layer++)
            for (int item = 0; item < 2; item++)
            {
                var reference = exact[item][layer][0];
                double single = Error(singles[item][layer][0], reference);
                double batched = Error(ragged[layer][item, ..(int)frames[item]], reference);
                double batchedOnDevice = Error(raggedOnDevice[layer][item, ..(int)frames[item]], reference);
                Assert.IsLessThan(0.05, single, $"layer {layer + 1}, item {item + 1}: bf16 single run vs float32");
                Assert.IsLessThanOrEqualTo(2 * single + 0.01, batched, $"layer {layer + 1}, item {item + 1}: padded bf16 batch vs float32 ({single:E2} alone)");
                Assert.IsLessThanOrEqualTo(2 * single + 0.01, batchedOnDevice, $"layer {layer + 1}, item {item + 1}: padded bf16 batch, device lengths, vs float32 ({single:E2} alone)");
                report.Add($"L{layer + 1}/{item + 1}: {single:E2} alone, {batched:E2} / {batchedOnDevice:E2} padded");
            }
        for (int layer = 0; layer < model.NumLayers; layer++)
            for (int item = 0; item < 2; item++)
                Assert.IsLessThanOrEqualTo(2 * Error(singles[1][layer][0], exact[1][layer][0]) + 0.01, Error(equal[layer][item], exact[1][layer][0]),
                    $"layer {layer + 1}, item {item + 1}: equal-length bf16 batch vs float32");
        TestContext.WriteLine(string.Join(", ", report));
    }

    void AssertBatchEqualsSingles(Wav2Vec2Model model, Tensor first, Tensor second)
    {
        using var scope = NewDisposeScope();
        long samples = Math.Max(first.shape[0], second.shape[0]);
        var batch = stack([nn.functional.pad(first, [0, samples - first.shape[0]]), nn.functional.pad(second, [0, samples - second.shape[0]])]);
        var lengths = tensor(new[] { first.shape[0], second.shape[0] });

        var (batched, frameLengths) = model.ExtractFeatures(batch, lengths);
        var (alone1, _) = model.ExtractFeatures(first.unsqueeze(0));
        var (alone2, _) = model.ExtractFeatures(second.unsqueeze(0));

        long frames1 = model.GetOutputFrames(first.shape[0]), frames2 = model.GetOutputFrames(second.shape[0]);
        CollectionAssert.AreEqual(new[] { frames1, frames2 }, frameLengths!.data<long>().ToArray());
        Assert.AreEqual(model.NumLayers, batched.Count);
        var report = new List<string>();
        for (int i = 0; i < batched.Count; i++)
        {
            var (item1, item2) = (batched[i][0, ..(int)frames1], batched[i][1, ..(int)frames2]);
            double diff1 = TensorAssert.Close(item1, alone1[i][0], TensorAssert.Shallow, $"item 1, layer {i + 1}");
            double diff2 = TensorAssert.Close(item2, alone2[i][0], TensorAssert.Shallow, $"item 2, layer {i + 1}");
            report.Add($"layer {i + 1}: {diff1:E2} / {diff2:E2}");
        }
        TestContext.WriteLine($"batch vs alone max |diff| (item 1 / item 2): {string.Join(", ", report)}");
    }

    [TestMethod]
    public void EvalIsDeterministicWithDropoutInTheArchitecture()
    {
        using var model = new Wav2Vec2Model(WithDropout(TinySsl.Architecture("tiny12")));
        model.eval();
        var input = Fixtures.Clip("tiny12", "short_24k.wav")["resampled_16k"].unsqueeze(0);
        using var scope = NewDisposeScope();

        var first = model.ExtractFeatures(input).Layers;
        var second = model.ExtractFeatures(input).Layers;

        for (int i = 0; i < first.Count; i++)
            Assert.IsTrue(first[i].Equals(second[i]), $"layer {i + 1} differs between two eval runs");
    }

    [TestMethod]
    public void TrainingModeAppliesDropout()
    {
        using var model = new Wav2Vec2Model(WithDropout(TinySsl.Architecture("tiny12")));
        model.train();
        var input = Fixtures.Clip("tiny12", "short_24k.wav")["resampled_16k"].unsqueeze(0);
        using var scope = NewDisposeScope();

        var first = model.ExtractFeatures(input, numLayers: 1).Layers[0];
        var second = model.ExtractFeatures(input, numLayers: 1).Layers[0];

        Assert.IsFalse(first.Equals(second), "two training-mode runs with dropout 0.1 gave identical outputs");
    }

    [TestMethod]
    public void ExtractFeaturesReturnsTheFirstNLayersOfTheFullRun()
    {
        using var model = TinySsl.Load("tiny12");
        var input = Fixtures.Clip("tiny12", "short_24k.wav")["resampled_16k"].unsqueeze(0);
        using var scope = NewDisposeScope();

        var all = model.ExtractFeatures(input).Layers;
        var three = model.ExtractFeatures(input, numLayers: 3).Layers;

        Assert.HasCount(9, all);
        Assert.HasCount(3, three);
        for (int i = 0; i < 3; i++) Assert.IsTrue(all[i].Equals(three[i]), $"layer {i + 1}");
    }

    [TestMethod]
    public void ForwardOfPostNormModelEqualsTheLastLayer()
    {
        // torchaudio applies the encoder's LayerNorm before the layers for post-norm models, so the full
        // forward output is the last layer's output.
        using var model = TinySsl.Load("tiny12");
        var input = Fixtures.Clip("tiny12", "short_24k.wav")["resampled_16k"].unsqueeze(0);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var output = model.call(input);
        var last = model.ExtractFeatures(input).Layers[^1];

        Assert.IsTrue(output.Equals(last));
    }

    [TestMethod]
    public void RejectsWaveformShorterThanOneFrameNamingTheMinimum()
    {
        using var model = TinySsl.Load("tiny12");
        var error = Assert.ThrowsExactly<ArgumentException>(() => model.ExtractFeatures(zeros(1, 399)));
        StringAssert.Contains(error.Message, "399");
        StringAssert.Contains(error.Message, "400");
    }

    [TestMethod]
    public void RejectsOneDimensionalWaveform()
    {
        using var model = TinySsl.Load("tiny12");
        var error = Assert.ThrowsExactly<ArgumentException>(() => model.ExtractFeatures(zeros(800)));
        StringAssert.Contains(error.Message, "[800]");
    }

    [TestMethod]
    public void RejectsLayerCountOutsideOneToNine()
    {
        using var model = TinySsl.Load("tiny12");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.ExtractFeatures(zeros(1, 800), numLayers: 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.ExtractFeatures(zeros(1, 800), numLayers: 10));
    }

    [TestMethod]
    public void RejectsArchitectureWithHeadsNotDividingWidth()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(
            () => new Wav2Vec2Model(TinySsl.Architecture("tiny12") with { EncoderNumHeads = 5 }));
        StringAssert.Contains(error.Message, "encoder_num_heads");
    }

    static Wav2Vec2Architecture WithDropout(Wav2Vec2Architecture a) => a with
    {
        EncoderProjectionDropout = 0.1,
        EncoderAttentionDropout = 0.1,
        EncoderFfIntermDropout = 0.1,
        EncoderDropout = 0.1,
        EncoderLayerDrop = 0.1,
    };
}
