using Kanade.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Tests.Modules;

[TestClass]
public sealed class DenseTests
{
    [TestMethod]
    public void MatchesTheProductPlusBiasForEveryInputRankAndLayout()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var layer = new Dense(6, 4);
        var weight = layer.Weight.detach().to(ScalarType.Float64);
        var bias = layer.Bias!.detach().to(ScalarType.Float64);
        Tensor Expected(Tensor x) => x.to(ScalarType.Float64).matmul(weight.t()) + bias;

        var inputs = new[]
        {
            randn(5, 6),                                 // 2-D
            randn(2, 5, 6),                              // 3-D, contiguous
            randn(2, 6, 5).transpose(1, 2),              // 3-D, a transposed view
            randn(2, 3, 5, 6).permute(0, 2, 1, 3),       // 4-D, permuted
            randn(6),                                    // 1-D
        };
        foreach (var x in inputs)
        {
            var y = layer.call(x);
            CollectionAssert.AreEqual(Expected(x).shape, y.shape, $"input shape ({string.Join(", ", x.shape)})");
            Assert.IsLessThan(1e-5, (y.to(ScalarType.Float64) - Expected(x)).abs().max().item<double>(),
                $"input shape ({string.Join(", ", x.shape)})");
        }
    }

    [TestMethod]
    public void WithoutBiasIsThePlainProduct()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        var layer = new Dense(3, 2, hasBias: false);
        Assert.IsNull(layer.Bias);
        var x = randn(4, 5, 3);
        Assert.IsLessThan(1e-6, (layer.call(x) - x.matmul(layer.Weight.t())).abs().max().item<float>());
        CollectionAssert.AreEqual(new[] { "weight" }, layer.named_parameters().Select(p => p.name).ToArray());
    }

    [TestMethod]
    public void HasNnLinearsNamesAndSeededInitialisation()
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        var reference = nn.Linear(7, 5);
        manual_seed(13);
        var layer = new Dense(7, 5);

        CollectionAssert.AreEqual(new[] { "weight", "bias" }, layer.named_parameters().Select(p => p.name).ToArray());
        Assert.IsTrue(reference.weight!.eq(layer.Weight).all().item<bool>(), "weights drawn as nn.Linear draws them");
        Assert.IsTrue(reference.bias!.eq(layer.Bias!).all().item<bool>(), "bias drawn as nn.Linear draws it");
    }
}
