using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kanade.Cli.Infrastructure;

/// <summary>What a long command reports as it goes: items done and, where it applies, audio seconds done.</summary>
internal sealed class ProgressHandle
{
    readonly Stopwatch clock = Stopwatch.StartNew();
    long items;
    long audioTicks;                                              // audio seconds x 1000, summed atomically

    /// <summary>Items done so far.</summary>
    public long Items => Interlocked.Read(ref items);
    /// <summary>Audio seconds done so far.</summary>
    public double AudioSeconds => Interlocked.Read(ref audioTicks) / 1000.0;
    /// <summary>Wall time since the start.</summary>
    public TimeSpan Elapsed => clock.Elapsed;
    /// <summary>Audio hours per wall-clock hour so far.</summary>
    public double AudioHoursPerHour => Elapsed.TotalSeconds > 0 ? AudioSeconds / Elapsed.TotalSeconds : 0;

    internal Action<long>? OnAdvance;

    /// <summary>Adds <paramref name="count"/> finished items holding <paramref name="audioSeconds"/> of audio. Thread-safe.</summary>
    public void Advance(long count, double audioSeconds = 0)
    {
        Interlocked.Add(ref items, count);
        Interlocked.Add(ref audioTicks, (long)Math.Round(audioSeconds * 1000));
        OnAdvance?.Invoke(count);
    }
}

/// <summary>
/// A progress bar on a terminal (Spectre.Console, on stderr: items, audio hours per hour, ETA), or one plain line
/// every <see cref="PlainInterval"/> when stderr is not a terminal (logs of batch jobs), or nothing at all for
/// in-process runs that ask for none.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>How often a plain status line is printed when no bar can be drawn.</summary>
    public static TimeSpan PlainInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="work"/> with a progress display of <paramref name="total"/> items.</summary>
    public static T Run<T>(CliEnvironment environment, string title, long total, bool showAudioRate, Func<ProgressHandle, T> work)
    {
        var handle = new ProgressHandle();
        if (!environment.Interactive)
        {
            var last = Stopwatch.StartNew();
            handle.OnAdvance = _ =>
            {
                lock (last)
                {
                    if (last.Elapsed < PlainInterval) return;
                    last.Restart();
                }
                environment.Error.WriteLine(PlainLine(title, handle, total, showAudioRate));
            };
            return work(handle);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(environment.Error) });
        var columns = new List<ProgressColumn> { new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new CountColumn() };
        if (showAudioRate) columns.Add(new AudioRateColumn(handle));
        columns.AddRange([new ElapsedTimeColumn(), new RemainingTimeColumn()]);
        return console.Progress().AutoClear(false).HideCompleted(false).Columns([.. columns]).Start(context =>
        {
            var task = context.AddTask(title, maxValue: Math.Max(total, 1));
            handle.OnAdvance = count => task.Increment(count);
            return work(handle);
        });
    }

    static string PlainLine(string title, ProgressHandle handle, long total, bool showAudioRate)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{title}: {handle.Items}/{total} ({100.0 * handle.Items / Math.Max(total, 1):F1}%), {handle.Elapsed:hh\\:mm\\:ss}");
        if (showAudioRate) line += string.Create(CultureInfo.InvariantCulture, $", {handle.AudioHoursPerHour:F1} audio-h/h");
        if (handle.Items > 0)
        {
            double remaining = handle.Elapsed.TotalSeconds * (total - handle.Items) / handle.Items;
            line += $", ETA {TimeSpan.FromSeconds(remaining):hh\\:mm\\:ss}";
        }
        return line;
    }

    sealed class CountColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{task.Value:F0}/{task.MaxValue:F0}"));
    }

    sealed class AudioRateColumn(ProgressHandle handle) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{handle.AudioHoursPerHour:F1} audio-h/h"));
    }
}
