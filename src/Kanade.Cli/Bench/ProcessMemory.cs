using System.Globalization;

namespace Kanade.Cli.Bench;

/// <summary>
/// Resident memory of this process from /proc (Linux): the current RSS and the peak since the last
/// <see cref="ResetPeak"/> (VmHWM, reset through /proc/self/clear_refs). Native libtorch memory is included, which the
/// GC's own figures leave out.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>Resets the peak to the current RSS; false where the kernel does not allow it (the peak is then the lifetime one).</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Peak resident bytes (VmHWM), or 0 where /proc is absent.</summary>
    public static long PeakBytes() => Read("VmHWM:");

    /// <summary>Current resident bytes (VmRSS), or 0 where /proc is absent.</summary>
    public static long CurrentBytes() => Read("VmRSS:");

    static long Read(string key)
    {
        if (!File.Exists("/proc/self/status")) return 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    /// <summary>Bytes as MiB with one decimal.</summary>
    public static string MiB(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB";
}
