using System.Runtime.InteropServices;

namespace Kanade;

/// <summary>
/// PyTorch's switch for cuDNN's fused attention inside SDPA (<c>torch.backends.cuda.enable_cudnn_sdp</c>), which
/// TorchSharp 0.107 does not wrap: <c>at::globalContext().setSDPUseCuDNN(bool)</c>, called in libtorch directly.
/// Process-wide, like PyTorch's own switch, and on by default as there.
/// </summary>
/// <remarks>
/// cuDNN builds a graph for every new attention shape, and PyTorch caches it per shape. Measured on an H200 in bf16:
/// the first call at a new length cost 45-314 ms against 0.1-5 ms for the memory-efficient kernel, while at bulk sizes
/// cuDNN then ran 2-4x faster (WavLM's 64 x 12 heads x 500 frames with its position bias: 0.29 against 1.16 ms). So it
/// pays where shapes repeat (<see cref="KanadeModel.EncodeBatch"/> rounds ragged batches to few lengths, training crops
/// to one) and costs where they do not: a loop of single-utterance <see cref="KanadeModel.Encode"/> calls on files of
/// varied lengths meets a new shape on nearly every call (a 10 s encode at a new length: 194 ms with it, 55 ms
/// without). The <c>kanade</c> CLI turns it on for tokenize and training and off for everything else.
/// </remarks>
public static class CudnnAttention
{
    /// <summary>Whether SDPA may pick cuDNN's attention (PyTorch's default: yes).</summary>
    public static bool Enabled
    {
        get { Load(); return UserEnabledCuDnnSdp(GlobalContext()); }
        set { Load(); SetSdpUseCuDnn(GlobalContext(), value); }
    }

    // libtorch is loaded by TorchSharp on first use; an op of any kind does that.
    static void Load() => TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context14setSDPUseCuDNNEb")]
    static extern void SetSdpUseCuDnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context19userEnabledCuDNNSDPEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool UserEnabledCuDnnSdp(IntPtr context);
}
