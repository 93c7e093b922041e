// Batched matrix products that TorchSharp 0.107 gets wrong, called the right way.
using static TorchSharp.torch;

namespace Kanade.Modules;

/// <summary>Batched matrix products that TorchSharp exposes with a defect.</summary>
static class BatchedMatrixOps
{
    // TorchSharp 0.107's Tensor.baddbmm hands its three tensors to the native call in the wrong order, computing
    // batch2 + this @ batch1. A one-off probe on 1 x 1 x 1 tensors decides which order to call, so a TorchSharp with
    // the defect fixed keeps working.
    static readonly Lazy<bool> argumentsRotated = new(() =>
    {
        using var scope = NewDisposeScope();
        var (input, batch1, batch2) = (full(1, 1, 1, 1f), full(1, 1, 1, 2f), full(1, 1, 1, 3f));
        float result = input.baddbmm(batch1, batch2).item<float>();                 // 7 when right, 3 + 1 x 2 = 5 when rotated
        return result switch
        {
            7f => false,
            5f => true,
            _ => throw new InvalidOperationException($"Tensor.baddbmm(1, 2, 3) gave {result}; expected 7 (or 5 with TorchSharp 0.107's argument order)."),
        };
    });

    /// <summary><paramref name="input"/> + <paramref name="batch1"/> @ <paramref name="batch2"/>: (B, n, m) + (B, n, k) x (B, k, m), one fused product.</summary>
    public static Tensor MultiplyAdd(Tensor input, Tensor batch1, Tensor batch2) =>
        argumentsRotated.Value ? batch1.baddbmm(batch2, input) : input.baddbmm(batch1, batch2);
}
