using static TorchSharp.torch;

namespace Kanade.Tests.IO;

/// <summary>Exact comparisons for tensors read back from files.</summary>
public static class TensorCompare
{
    /// <summary>Same shape and the same values after widening both to float64 (exact for every dtype but int64 extremes).</summary>
    public static bool SameValues(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        if (a.dtype == ScalarType.Int64 || b.dtype == ScalarType.Int64)
            return a.to(ScalarType.Int64).eq(b.to(ScalarType.Int64)).all().item<bool>();
        return a.to(float64).eq(b.to(float64)).all().item<bool>();
    }

    /// <summary>Same dtype, shape and bytes.</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);
}
