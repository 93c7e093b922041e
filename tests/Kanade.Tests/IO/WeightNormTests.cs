using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Tests.IO;

[TestClass]
public sealed class WeightNormTests
{
    static readonly string[] NewNames = ["bias", "parametrizations.weight.original0", "parametrizations.weight.original1"];
    static readonly string[] OldNames = ["bias", "weight_g", "weight_v"];

    [TestMethod]
    public void OldNamesBecomeParametrizationNames()
    {
        var old = TorchCheckpoint.Load(Checkpoints.Path("weight_norm_old.pt"));
        var reference = TorchCheckpoint.Load(Checkpoints.Path("weight_norm_new.pt"));

        var renamed = WeightNorm.MatchNames(old, NewNames);

        TensorAssert.Identical(renamed["parametrizations.weight.original0"], reference["parametrizations.weight.original0"], "parametrizations.weight.original0");
        TensorAssert.Identical(renamed["parametrizations.weight.original1"], reference["parametrizations.weight.original1"], "parametrizations.weight.original1");
        Assert.IsFalse(renamed.ContainsKey("weight_g"));
        Assert.AreSame(old["bias"], renamed["bias"]);
    }

    [TestMethod]
    public void ParametrizationNamesBecomeOldNames()
    {
        var parametrized = TorchCheckpoint.Load(Checkpoints.Path("weight_norm_new.pt"));
        var reference = TorchCheckpoint.Load(Checkpoints.Path("weight_norm_old.pt"));

        var renamed = WeightNorm.MatchNames(parametrized, OldNames);

        TensorAssert.Identical(renamed["weight_g"], reference["weight_g"], "weight_g");
        TensorAssert.Identical(renamed["weight_v"], reference["weight_v"], "weight_v");
    }

    [TestMethod]
    [DataRow("weight_norm_old.pt")]
    [DataRow("weight_norm_new.pt")]
    public void FoldingGivesPyTorchsWeight(string file)
    {
        // weight_norm_new.pt's expected_weight is what PyTorch computes from g and v. (weight_norm_old.pt's is
        // the module's stale pre-forward weight, not a function of its g and v; see Data/checkpoints/README.md.)
        var expected = TorchCheckpoint.Load(Checkpoints.Path("weight_norm_new.pt"))["expected_weight"];
        var sd = TorchCheckpoint.Load(Checkpoints.Path(file));

        var folded = WeightNorm.MatchNames(sd, ["bias", "weight"]);

        TensorAssert.Close(folded["weight"], expected, 1e-6, "folded weight");
        Assert.IsFalse(folded.ContainsKey("weight_v") || folded.ContainsKey("parametrizations.weight.original1"));
    }

    [TestMethod]
    public void NamesUnderModulePathsAreMatched()
    {
        var g = ones(3, 1, 1);
        var v = ones(3, 2, 2);
        var sd = new Dictionary<string, Tensor> { ["ups.0.weight_g"] = g, ["ups.0.weight_v"] = v, ["ups.0.bias"] = zeros(3) };

        var renamed = WeightNorm.MatchNames(sd, ["ups.0.parametrizations.weight.original0", "ups.0.parametrizations.weight.original1", "ups.0.bias"]);

        Assert.AreSame(g, renamed["ups.0.parametrizations.weight.original0"]);
        Assert.AreSame(v, renamed["ups.0.parametrizations.weight.original1"]);
    }

    [TestMethod]
    public void FoldNormalisesOverTheDimensionsWhereTheMagnitudeIsOne()
    {
        // WavLM's positional convolution normalises over dims 0 and 1 (weight_norm(dim=2)): g is (1, 1, K).
        var v = tensor(new float[] { 3, 0, 4, 1 }).reshape(2, 1, 2);   // columns (3, 4) and (0, 1)
        var g = tensor(new float[] { 10, 2 }).reshape(1, 1, 2);

        var w = WeightNorm.Fold(g, v);

        CollectionAssert.AreEqual(new float[] { 6, 0, 8, 2 }, w.data<float>().ToArray());
    }

    [TestMethod]
    public void UnrelatedNamesEndingInGOrVPassThrough()
    {
        var biasV = ones(4);
        var sd = new Dictionary<string, Tensor> { ["attn.bias_v"] = biasV };
        var renamed = WeightNorm.MatchNames(sd, ["attn.bias_v"]);
        Assert.AreSame(biasV, renamed["attn.bias_v"]);
    }
}
