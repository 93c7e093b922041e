using TorchSharp;
using static TorchSharp.torch;

namespace Kanade;

/// <summary>Host tensors (batches, lengths, indices) sent to the device without stalling it.</summary>
static class HostValues
{
    /// <summary>
    /// A CPU tensor on <paramref name="device"/>. To CUDA it goes through pinned memory, without blocking: a copy from
    /// pageable memory would wait for every kernel queued on the stream (another worker's batch included), and the
    /// device would idle until this thread queued more.
    /// </summary>
    public static Tensor ToDevice(Tensor values, Device device) =>
        device.type == DeviceType.CUDA && values.device_type == DeviceType.CPU
            ? values.pin_memory().cuda(device, non_blocking: true)
            : values.to(device);

    /// <summary><paramref name="values"/> as an int64 tensor on <paramref name="device"/> (see <see cref="ToDevice(Tensor, Device)"/>).</summary>
    public static Tensor ToDevice(long[] values, Device device) => ToDevice(tensor(values), device);
}
