// Plain-text download progress for logs and notebooks, as huggingface_hub shows a tqdm bar on stderr.
using System.Globalization;

namespace Kanade.IO.Hub;

/// <summary>
/// Writes one line per tenth of a download (<c>Downloading org/name/model.safetensors: 40% (151.0 of 377.5 MB)</c>), or
/// per 100 MB when the size is unknown: readable in logs, notebooks and redirected output alike.
/// </summary>
public sealed class DownloadProgressWriter : IProgress<(long Done, long Total)>
{
    const long UnknownSizeStep = 100L << 20;
    readonly TextWriter writer;
    readonly string name;
    long lastStep = -1;

    /// <summary>Progress of the download of <paramref name="name"/>, written to <paramref name="writer"/>.</summary>
    public DownloadProgressWriter(TextWriter writer, string name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(name);
        this.writer = writer;
        this.name = name;
    }

    /// <summary>A factory for <see cref="HubClient.DownloadProgress"/> writing to <paramref name="writer"/>.</summary>
    public static Func<string, IProgress<(long Done, long Total)>?> To(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return name => new DownloadProgressWriter(writer, name);
    }

    /// <summary>Writes a line when the download crossed into a new step (and always when it completes).</summary>
    public void Report((long Done, long Total) value)
    {
        var (done, total) = value;
        bool complete = total > 0 && done >= total;
        long step = total > 0 ? done * 10 / total : done / UnknownSizeStep;
        if (step == lastStep && !complete) return;
        if (complete && lastStep == long.MaxValue) return;
        lastStep = complete ? long.MaxValue : step;
        string line = total > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Downloading {name}: {done * 100 / total}% ({Megabytes(done)} of {Megabytes(total)} MB)")
            : string.Create(CultureInfo.InvariantCulture, $"Downloading {name}: {Megabytes(done)} MB");
        writer.WriteLine(line);
    }

    static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture);
}
