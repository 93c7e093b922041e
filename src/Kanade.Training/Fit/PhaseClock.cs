// Where a training step's time goes: wall time per phase, the device drained at every boundary.
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Training.Fit;

/// <summary>
/// Splits a training step into phases (push weights, forward, backward, optimizer...). Each <see cref="Mark"/> waits for
/// the device, so a phase's time is its own work, however the work is queued; that waiting makes the step slower, so a
/// run is either clocked or timed, never both.
/// </summary>
public sealed class PhaseClock
{
    readonly Device device;
    readonly Stopwatch clock = new();
    readonly Dictionary<string, double> seconds = new(StringComparer.Ordinal);

    /// <summary>Clocks phases on <paramref name="device"/>.</summary>
    public PhaseClock(Device device) => this.device = device;

    /// <summary>Seconds spent in each phase, summed over every step clocked, in the order phases first appeared.</summary>
    public IReadOnlyDictionary<string, double> Seconds => seconds;

    /// <summary>Starts a step: the device is drained and the next phase begins now.</summary>
    public void Start()
    {
        Drain();
        clock.Restart();
    }

    /// <summary>Ends the current phase, named <paramref name="phase"/>, and begins the next.</summary>
    public void Mark(string phase)
    {
        Drain();
        seconds[phase] = seconds.GetValueOrDefault(phase) + clock.Elapsed.TotalSeconds;
        clock.Restart();
    }

    void Drain()
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
