using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Modules;

/// <summary>
/// A constant a module derives from its configuration (FSQ levels, an STFT window), materialised once per device and
/// dtype on first use. Used instead of a non-persistent buffer because TorchSharp 0.107's <c>Module.to</c> never
/// moves non-persistent buffers (its <c>named_buffers</c> skips them), which leaves them behind on the CPU.
/// </summary>
internal sealed class DerivedTensor
{
    readonly Tensor cpu;
    readonly ConcurrentDictionary<(DeviceType, int, ScalarType), Tensor> copies = new();

    /// <summary>Holds <paramref name="value"/> (a CPU tensor, kept out of every dispose scope).</summary>
    public DerivedTensor(Tensor value) => cpu = value.DetachFromDisposeScope();

    /// <summary>The constant on <paramref name="device"/> in <paramref name="dtype"/> (its own dtype when null).</summary>
    public Tensor On(Device device, ScalarType? dtype = null)
    {
        var type = dtype ?? cpu.dtype;
        return copies.GetOrAdd((device.type, device.index, type), _ => cpu.to(type, device).DetachFromDisposeScope());
    }
}
