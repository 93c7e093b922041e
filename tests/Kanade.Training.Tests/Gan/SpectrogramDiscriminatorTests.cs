using System.Text.Json;
using Kanade.IO;
using Kanade.Tests;
using Kanade.Training.Gan;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Gan;

[TestClass]
public sealed class SpectrogramDiscriminatorTests
{
    // tiny12/train.yaml's discriminator.
    static readonly SpectrogramDiscriminatorOptions Tiny12 = new() { FrequencyBins = 100, Channels = 8, KernelSize = [3, 3], Dilation = [1, 2, 4] };

    static SpectrogramDiscriminator LoadTiny12()
    {
        var discriminator = new SpectrogramDiscriminator(Tiny12);
        StateDictLoader.LoadFile(discriminator, Fixtures.Path("tiny12", "discriminator.safetensors"));
        discriminator.eval();
        return discriminator;
    }

    static JsonElement TrainStepFigures => Fixtures.Json.RootElement.GetProperty("clips").GetProperty("tiny12").GetProperty("train_step");

    static void AssertScalar(Tensor actual, string name, double relative = 1e-5)
    {
        double expected = TrainStepFigures.GetProperty(name).GetDouble();
        double value = actual.item<float>();
        Assert.AreEqual(expected, value, relative * Math.Abs(expected), $"{name}: {value} vs {expected}");
    }

    [TestMethod]
    public void OutputsOnRealAndGeneratedMelMatchReference()
    {
        using var scope = NewDisposeScope();
        using var discriminator = LoadTiny12();
        var step = SafeTensors.Load(Fixtures.Path("tiny12", "train_step.safetensors"));
        using var _ = no_grad();
        var (realOut, realInter) = discriminator.call(step["mel_real"]);
        var (fakeOut, _) = discriminator.call(step["mel_recon"]);
        TensorAssert.Close(realOut, step["disc_out_real"], TensorAssert.Shallow, "disc_out_real");
        TensorAssert.Close(fakeOut, step["disc_out_fake"], TensorAssert.Shallow, "disc_out_fake");
        Assert.HasCount(25, realInter);
        TensorAssert.Close(realInter[0], step["disc_inter_real_first"], TensorAssert.Shallow, "disc_inter_real_first");
        TensorAssert.Close(realInter[^1], step["disc_inter_real_last"], TensorAssert.Shallow, "disc_inter_real_last");
    }

    [TestMethod]
    public void HingeLossesOnFixtureOutputsMatchReference()
    {
        using var scope = NewDisposeScope();
        using var discriminator = LoadTiny12();
        var step = SafeTensors.Load(Fixtures.Path("tiny12", "train_step.safetensors"));
        using var _ = no_grad();
        var (realOut, realInter) = discriminator.call(step["mel_real"]);
        var (fakeOut, fakeInter) = discriminator.call(step["mel_recon"]);
        var (total, real, fake) = AdversarialLoss.Discriminator(realOut, fakeOut, AdversarialLossType.Hinge);
        AssertScalar(total, "disc_loss");
        AssertScalar(real, "disc_real_loss");
        AssertScalar(fake, "disc_fake_loss");
        AssertScalar(AdversarialLoss.Generator(fakeOut, AdversarialLossType.Hinge), "gen_adv_loss");
        AssertScalar(AdversarialLoss.FeatureMatching(realInter, fakeInter), "feature_matching_loss");
    }

    [TestMethod]
    public void LeastSquareLossesOnSmallOutputs()
    {
        var real = tensor(new float[] { 1.5f, 0f, 1f, -1f });
        var fake = tensor(new float[] { 0.5f, -2f });
        var (total, realLoss, fakeLoss) = AdversarialLoss.Discriminator(real, fake, AdversarialLossType.LeastSquare);
        // real: mean((0.5)^2, (-1)^2, 0^2, (-2)^2) = (0.25 + 1 + 0 + 4) / 4 = 1.3125
        Assert.AreEqual(1.3125, realLoss.item<float>(), 1e-6);
        // fake: mean(0.25, 4) = 2.125
        Assert.AreEqual(2.125, fakeLoss.item<float>(), 1e-6);
        Assert.AreEqual(3.4375, total.item<float>(), 1e-6);
        // generator: mean((0.5 - 1)^2, (-2 - 1)^2) = (0.25 + 9) / 2 = 4.625
        Assert.AreEqual(4.625, AdversarialLoss.Generator(fake, AdversarialLossType.LeastSquare).item<float>(), 1e-6);
    }

    [TestMethod]
    public void HingeLossesOnSmallOutputs()
    {
        var real = tensor(new float[] { 1.5f, 0f, 0.5f, -1f });
        var fake = tensor(new float[] { 0.5f, -2f });
        var (total, realLoss, fakeLoss) = AdversarialLoss.Discriminator(real, fake, AdversarialLossType.Hinge);
        // real: mean(relu(1 - x)) = (0 + 1 + 0.5 + 2) / 4 = 0.875; fake: mean(relu(1 + x)) = (1.5 + 0) / 2 = 0.75
        Assert.AreEqual(0.875, realLoss.item<float>(), 1e-6);
        Assert.AreEqual(0.75, fakeLoss.item<float>(), 1e-6);
        Assert.AreEqual(1.625, total.item<float>(), 1e-6);
        // generator: mean(relu(1 - x)) = (0.5 + 3) / 2 = 1.75
        Assert.AreEqual(1.75, AdversarialLoss.Generator(fake, AdversarialLossType.Hinge).item<float>(), 1e-6);
    }

    [TestMethod]
    public void FeatureMatchingAveragesLayerMeansAndGivesNoGradientToRealMaps()
    {
        var real0 = tensor(new float[] { 1f, 2f }).requires_grad_();
        var real1 = tensor(new float[] { 0f, 0f, 0f, 4f }).requires_grad_();
        var fake0 = tensor(new float[] { 0f, 4f }).requires_grad_();
        var fake1 = tensor(new float[] { 1f, 1f, 1f, 1f }).requires_grad_();
        var loss = AdversarialLoss.FeatureMatching([real0, real1], [fake0, fake1]);
        // layer 0: mean(|1-0|, |2-4|) = 1.5; layer 1: mean(1, 1, 1, 3) = 1.5; mean of layers = 1.5
        Assert.AreEqual(1.5, loss.item<float>(), 1e-6);
        loss.backward();
        Assert.IsNull(real0.grad);
        // d/dfake0 = (1/2 layers) * (1/2 elements) * sign(fake - real) = 0.25 * sign([-1, 2]) = [-0.25, 0.25]
        CollectionAssert.AreEqual(new float[] { -0.25f, 0.25f }, fake0.grad!.data<float>().ToArray());
    }

    [TestMethod]
    public void LeastSquareAndHingeParseFromYamlSpelling()
    {
        Assert.AreEqual(AdversarialLossType.Hinge, AdversarialLoss.Parse("hinge"));
        Assert.AreEqual(AdversarialLossType.LeastSquare, AdversarialLoss.Parse("least_square"));
        var error = Assert.ThrowsExactly<ArgumentException>(() => AdversarialLoss.Parse("wasserstein"));
        StringAssert.Contains(error.Message, "'hinge' or 'least_square'");
    }

    [TestMethod]
    [DataRow("discriminator_12hz_gan", 100, 3, true)]
    [DataRow("discriminator_25hz_gan", 100, 3, true)]
    [DataRow("discriminator_25hz_clean", 80, 7, false)]
    public void FullSizeDiscriminatorHasPublishedNamesAndShapes(string manifest, int bins, int kernel, bool downsample)
    {
        // config/train/{12hz_gan,25hz_gan,25hz_clean}.yaml: channels 64, dilation [1, 1, 1], five bands.
        using var discriminator = new SpectrogramDiscriminator(new()
        {
            FrequencyBins = bins, Channels = 64, KernelSize = [kernel, kernel], Dilation = [1, 1, 1], UseDownsample = downsample,
        });
        var actual = discriminator.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        TensorAssert.SameShapes(Fixtures.ManifestShapes(manifest), actual, manifest);
    }

    [TestMethod]
    public void FreshWeightNormStartsAtTheConvolutionsOwnWeight()
    {
        // weight_norm on a new layer sets g = ||v|| per output channel, so the effective weight equals v.
        using var conv = new WeightNormConv2d(2, 3, (3, 3), (1, 1), (1, 1));
        var state = conv.state_dict();
        TensorAssert.Close(conv.Weight(), state["parametrizations.weight.original1"], 1e-6, "weight");
        CollectionAssert.AreEqual(new long[] { 3, 1, 1, 1 }, state["parametrizations.weight.original0"].shape);
    }

    [TestMethod]
    public void WeightNormScalesEachOutputChannelToItsGain()
    {
        using var conv = new WeightNormConv2d(1, 2, (1, 2), (0, 0), (1, 1));
        var state = conv.state_dict();
        using (no_grad())
        {
            state["parametrizations.weight.original1"].copy_(tensor(new float[] { 3, 4, 0, 2 }).reshape(2, 1, 1, 2));
            state["parametrizations.weight.original0"].copy_(tensor(new float[] { 10, 0.5f }).reshape(2, 1, 1, 1));
        }
        // channel 0: 10 * [3, 4] / 5 = [6, 8]; channel 1: 0.5 * [0, 2] / 2 = [0, 0.5]
        CollectionAssert.AreEqual(new float[] { 6, 8, 0, 0.5f }, conv.Weight().data<float>().ToArray());
    }

    [TestMethod]
    public void StrictLoadNamesMisShapedAndMissingTensors()
    {
        using var discriminator = new SpectrogramDiscriminator(Tiny12);
        var weights = SafeTensors.Load(Fixtures.Path("tiny12", "discriminator.safetensors"));
        weights.Remove("conv_post.bias");
        weights["stacks.0.0.bias"] = zeros(9);
        var error = Assert.ThrowsExactly<WeightLoadException>(
            () => StateDictLoader.Load(discriminator, weights, new StateDictLoadOptions { SourceName = "d.safetensors" }));
        StringAssert.Contains(error.Message, "'d.safetensors'");
        StringAssert.Contains(error.Message, "missing:    conv_post.bias [1]");
        StringAssert.Contains(error.Message, "mis-shaped: stacks.0.0.bias: expected [8] Float32, found [9] Float32");
    }

    [TestMethod]
    public void RejectsInputWithWrongNumberOfBins()
    {
        using var discriminator = new SpectrogramDiscriminator(Tiny12);
        var error = Assert.ThrowsExactly<ArgumentException>(() => discriminator.call(zeros(1, 80, 16)));
        StringAssert.Contains(error.Message, "80 frequency bins, expected frequency_bins = 100");
    }
}
