// Throughput and memory of training steps, for comparing precisions and devices (docs/training.md, "Measuring").
using System.Diagnostics;
using System.Globalization;
using Kanade.Training.Config;
using Kanade.Training.Pipeline;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Training.Fit;

/// <summary>The figures of a <see cref="TrainingBenchmark"/> run.</summary>
/// <param name="Device">Device and precision in words.</param>
/// <param name="BatchSize">Items per step.</param>
/// <param name="AudioLength">Samples per item.</param>
/// <param name="Steps">Timed steps (after the warm-up).</param>
/// <param name="SecondsPerStep">Mean wall time of a timed step.</param>
/// <param name="SamplesPerSecond">Training examples per second (the reference's figure: about 76 for 12hz at bf16 on an H100).</param>
/// <param name="PeakMemoryMiB">Highest GPU memory in use by the device during the run (nvidia-smi, the caching allocator's
/// reserve included), or null on the CPU or without nvidia-smi.</param>
/// <param name="Losses">The loss of every step, warm-up included (same synthetic batches for every precision).</param>
/// <param name="PhaseSecondsPerStep">Mean seconds per phase of the clocked steps run after the timed ones (the device
/// drained at every phase boundary, see <see cref="PhaseClock"/>); empty when none were clocked.</param>
public sealed record TrainingBenchmarkResult(string Device, int BatchSize, int AudioLength, int Steps, double SecondsPerStep,
    double SamplesPerSecond, long? PeakMemoryMiB, IReadOnlyList<double> Losses, IReadOnlyDictionary<string, double> PhaseSecondsPerStep)
{
    /// <summary>One line for logs and docs, then one line of phase times when steps were clocked.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Device}: batch {BatchSize} x {AudioLength} samples, {Steps} steps, {SecondsPerStep * 1000:F0} ms/step, {SamplesPerSecond:F1} samples/s, " +
        $"peak {(PeakMemoryMiB is long m ? $"{m / 1024.0:F2} GiB" : "n/a")}, loss first {Losses[0]:F4} last {Losses[^1]:F4}") +
        (PhaseSecondsPerStep.Count == 0 ? "" : Environment.NewLine + "phases (ms/step, device drained at each): " +
            string.Join(", ", PhaseSecondsPerStep.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value * 1000:F1}"))));
}

/// <summary>
/// Times training steps of a config's pipeline on fixed synthetic batches (seeded noise shaped like speech levels), so
/// precisions can be compared on speed, memory and loss without a dataset or SSL weights.
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>Runs <paramref name="warmupSteps"/> untimed then <paramref name="steps"/> timed training steps.</summary>
    /// <param name="config">The training config (its data section is not used).</param>
    /// <param name="options">Device, precision, SSL weights (random ones are allowed here).</param>
    /// <param name="batchSize">Items per step.</param>
    /// <param name="steps">Timed steps.</param>
    /// <param name="warmupSteps">Untimed steps first (allocator and kernel selection).</param>
    /// <param name="log">Where to write a line per step; null for none.</param>
    /// <param name="clockedSteps">Steps run after the timed ones with a <see cref="PhaseClock"/>, for the phase breakdown.</param>
    public static TrainingBenchmarkResult Run(KanadeTrainingConfig config, TrainingPipelineOptions options, int batchSize, int steps,
        int warmupSteps = 3, TextWriter? log = null, int clockedSteps = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clockedSteps);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        using var memory = new GpuMemoryPoller(options.Device);
        using var pipeline = KanadeTrainingPipeline.FromConfig(config, options with
        {
            AllowRandomSslWeights = true,
            LoadCheckpoint = false,     // speed does not depend on the weights; ckpt_path may name a hub id
            TotalSteps = Math.Max(options.TotalSteps ?? 0, warmupSteps + steps + clockedSteps),
        });
        int length = pipeline.AudioLength;
        var generator = new Generator(1234);
        var batches = Enumerable.Range(0, 2).Select(_ => (randn([batchSize, 1, length], generator: generator) * 0.1f).clamp(-1, 1)).ToArray();
        var losses = new List<double>();
        var clock = new Stopwatch();
        for (int step = 0; step < warmupSteps + steps; step++)
        {
            if (step == warmupSteps)
            {
                if (pipeline.Device.type == DeviceType.CUDA) cuda.synchronize(pipeline.Device);
                clock.Start();
            }
            var result = pipeline.Step(batches[step % batches.Length]);
            losses.Add(result.Losses["loss"]);
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step + 1}: loss {result.Losses["loss"]:F4} grad_norm {result.GradNorm:F3}"));
        }
        if (pipeline.Device.type == DeviceType.CUDA) cuda.synchronize(pipeline.Device);
        clock.Stop();
        double perStep = clock.Elapsed.TotalSeconds / steps;
        var phases = new PhaseClock(pipeline.Device);
        pipeline.Phases = phases;
        for (int step = 0; step < clockedSteps; step++)
            losses.Add(pipeline.Step(batches[step % batches.Length]).Losses["loss"]);
        pipeline.Phases = null;
        string device = $"{pipeline.Device} {pipeline.Precision}";
        foreach (var batch in batches) batch.Dispose();
        return new TrainingBenchmarkResult(device, batchSize, length, steps, perStep, batchSize / perStep, memory.PeakMiB, losses,
            phases.Seconds.ToDictionary(p => p.Key, p => p.Value / Math.Max(clockedSteps, 1)));
    }

    /// <summary>Polls nvidia-smi's memory.used for the device every 100 ms (TorchSharp exposes no CUDA memory statistics).</summary>
    sealed class GpuMemoryPoller : IDisposable
    {
        readonly CancellationTokenSource stop = new();
        readonly Task? poller;
        long peak = -1;

        public GpuMemoryPoller(Device? device)
        {
            if (device is not { type: DeviceType.CUDA }) return;
            int index = Math.Max(device.index, 0);
            poller = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    if (Query(index) is long used) Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), used));
                    try { await Task.Delay(100, stop.Token); } catch (OperationCanceledException) { }
                }
            });
        }

        public long? PeakMiB => peak < 0 ? null : peak;

        static long? Query(int index)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo("nvidia-smi", $"--query-gpu=memory.used --format=csv,noheader,nounits -i {index}")
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                });
                if (process is null) return null;
                string text = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                return long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long used) ? used : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            poller?.GetAwaiter().GetResult();
            stop.Dispose();
        }
    }
}
