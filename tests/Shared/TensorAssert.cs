using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Kanade.Tests;

/// <summary>Assertions on tensors with the fixtures README's tolerances.</summary>
public static class TensorAssert
{
    /// <summary>Bound for tensors up to the SSL layers: max|a-b| &lt;= 1e-4 (1 + max|b|).</summary>
    public const double Shallow = 1e-4;
    /// <summary>Bound after deep stacks (mel, vocoded): max|a-b| &lt;= 1e-3 (1 + max|b|).</summary>
    public const double Deep = 1e-3;

    /// <summary>Asserts equal shapes and max|actual-expected| &lt;= tolerance * (1 + max|expected|).</summary>
    public static void Close(Tensor actual, Tensor expected, double tolerance, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape,
            $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        using var a = actual.detach().cpu().to(float64);
        using var b = expected.detach().cpu().to(float64);
        double maxDiff = (a - b).abs().max().item<double>();
        double scale = 1 + b.abs().max().item<double>();
        Assert.IsLessThanOrEqualTo(tolerance * scale, maxDiff,
            $"{what}: max |diff| = {maxDiff:G4} exceeds {tolerance:G2} x (1 + max|expected| = {scale:G4})");
    }

    /// <summary>Asserts identical integer tensors, reporting how many positions differ.</summary>
    public static void Equal(Tensor actual, Tensor expected, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape,
            $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        long differing = actual.cpu().to(int64).ne(expected.cpu().to(int64)).sum().item<long>();
        Assert.AreEqual(0L, differing, $"{what}: {differing} of {expected.numel()} positions differ");
    }

    /// <summary>Asserts bit-identical tensors (same shape, dtype and values).</summary>
    public static void Identical(Tensor actual, Tensor expected, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape, $"{what}: shape");
        Assert.AreEqual(expected.dtype, actual.dtype, $"{what}: dtype");
        using var same = actual.cpu().eq(expected.cpu()).all();
        Assert.IsTrue(same.item<bool>(), $"{what}: values differ (max |diff| {(actual.cpu().to(float64) - expected.cpu().to(float64)).abs().max().item<double>():G4})");
    }
}
