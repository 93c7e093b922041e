using System.Diagnostics;

namespace Kanade.Cli.Bench;

/// <summary>Wall time, CPU time (all threads) and peak RSS of one run of some work.</summary>
internal readonly record struct Measurement(double WallSeconds, double CpuSeconds, long PeakBytes, long BaselineBytes)
{
    /// <summary>Runs <paramref name="work"/> once and measures it (the peak is reset first, after a full GC).</summary>
    public static Measurement Of(Action work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        long baseline = ProcessMemory.CurrentBytes();
        ProcessMemory.ResetPeak();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        work();
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new Measurement(wall, (process.TotalProcessorTime - cpu).TotalSeconds, ProcessMemory.PeakBytes(), baseline);
    }

    /// <summary>The median of <paramref name="values"/>.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
