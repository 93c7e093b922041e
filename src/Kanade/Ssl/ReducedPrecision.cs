// Where the SSL model may trade the reference's exact order of operations for speed.
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// Whether an SSL activation is computed at reduced precision on CUDA: bf16 or fp16, or float32 with TF32 matrix
/// products allowed. There the front end uses reformulations that are exact in arithmetic but round differently from
/// PyTorch's own kernels (products over strided views, the norm folded into the first convolution, the positional
/// convolution through the FFT), each at least as accurate as the precision chosen. Elsewhere (the CPU, strict float32
/// on CUDA) the reference's kernels run, so that the parity tests compare like with like.
/// </summary>
static class ReducedPrecision
{
    /// <summary>True for <paramref name="x"/> on CUDA in bf16 or fp16, or in float32 while TF32 matrix products are allowed.</summary>
    public static bool Applies(Tensor x) => x.device_type == TorchSharp.DeviceType.CUDA
        && (x.dtype is ScalarType.BFloat16 or ScalarType.Float16 || (x.dtype == ScalarType.Float32 && backends.cuda.matmul.allow_tf32));
}
