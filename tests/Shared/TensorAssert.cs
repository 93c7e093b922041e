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

    /// <summary>Asserts equal shapes and max|actual-expected| &lt;= tolerance * (1 + max|expected|); returns max|actual-expected|, for the record.</summary>
    public static double Close(Tensor actual, Tensor expected, double tolerance, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape,
            $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        using var scope = NewDisposeScope();
        double maxDiff = MaxDiff(actual, expected);
        double scale = 1 + expected.detach().cpu().to(float64).abs().max().item<double>();
        Assert.IsLessThanOrEqualTo(tolerance * scale, maxDiff,
            $"{what}: max |diff| = {maxDiff:G4} exceeds {tolerance:G2} x (1 + max|expected| = {scale:G4})");
        return maxDiff;
    }

    /// <summary>Asserts identical integer tensors, reporting how many positions differ.</summary>
    public static void Equal(Tensor actual, Tensor expected, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape,
            $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        long differing = actual.cpu().to(int64).ne(expected.cpu().to(int64)).sum().item<long>();
        Assert.AreEqual(0L, differing, $"{what}: {differing} of {expected.numel()} positions differ");
    }

    /// <summary>Asserts bit-identical tensors: same shape, dtype and bytes.</summary>
    public static void Identical(Tensor actual, Tensor expected, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape, $"{what}: shape");
        Assert.AreEqual(expected.dtype, actual.dtype, $"{what}: dtype");
        using var a = actual.detach().cpu().contiguous();
        using var b = expected.detach().cpu().contiguous();
        if (!a.bytes.SequenceEqual(b.bytes)) Assert.Fail($"{what}: values differ (max |diff| {MaxDiff(a, b):G4})");
    }

    /// <summary>max |a - b|, computed in float64 on the CPU.</summary>
    public static double MaxDiff(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a.detach().cpu().to(float64) - b.detach().cpu().to(float64)).abs().max().item<double>();
    }

    /// <summary>Asserts two name -> shape maps are equal, listing the missing, unexpected and mis-shaped names.</summary>
    public static void SameShapes(IReadOnlyDictionary<string, long[]> expected, IReadOnlyDictionary<string, long[]> actual, string what)
    {
        var missing = expected.Keys.Except(actual.Keys).ToList();
        var extra = actual.Keys.Except(expected.Keys).ToList();
        var misshaped = expected.Keys.Intersect(actual.Keys).Where(k => !expected[k].SequenceEqual(actual[k]))
            .Select(k => $"{k}: [{string.Join(", ", actual[k])}] vs [{string.Join(", ", expected[k])}]").ToList();
        Assert.IsTrue(missing.Count == 0 && extra.Count == 0 && misshaped.Count == 0,
            $"{what}: missing {string.Join(", ", missing)}; unexpected {string.Join(", ", extra)}; mis-shaped {string.Join("; ", misshaped)}");
    }
}
