// The console progress line of kanade fit: step, epoch, loss, learning rate, throughput.
using System.Diagnostics;
using System.Globalization;

namespace Kanade.Training.Fit;

/// <summary>Writes one line per logging interval and per validation.</summary>
sealed class ProgressReporter(TextWriter? output, long maxSteps)
{
    readonly Stopwatch clock = Stopwatch.StartNew();
    long stepsSince;
    long samplesSince;

    public void Count(long samples)
    {
        stepsSince++;
        samplesSince += samples;
    }

    public void Step(long step, int epoch, IReadOnlyDictionary<string, double> scalars, double learningRate)
    {
        if (output is null) return;
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        double stepsPerSecond = stepsSince / seconds, samplesPerSecond = samplesSince / seconds;
        string total = maxSteps > 0 ? "/" + maxSteps : "";
        string eta = maxSteps > 0 && stepsPerSecond > 0 ? $" | eta {TimeSpan.FromSeconds((maxSteps - step) / stepsPerSecond):hh\\:mm\\:ss}" : "";
        string Value(string tag) => scalars.TryGetValue(tag, out double v) ? v.ToString("G5", CultureInfo.InvariantCulture) : "-";
        string disc = scalars.ContainsKey("train/disc/loss") ? $" disc {Value("train/disc/loss")}" : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"step {step}{total} | epoch {epoch} | loss {Value("train/loss")} mel_l1 {Value("train/gen/mel_l1")}{disc} | lr {learningRate:E2} | " +
            $"{stepsPerSecond:F2} steps/s {samplesPerSecond:F1} samples/s{eta}"));
        output.Flush();
        clock.Restart();
        stepsSince = samplesSince = 0;
    }

    public void Validation(long step, IReadOnlyDictionary<string, double> metrics)
    {
        if (output is null) return;
        output.WriteLine($"validation at step {step}: " + string.Join(" ", metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:G5}"))));
        output.Flush();
    }

    public void Line(string text)
    {
        output?.WriteLine(text);
        output?.Flush();
    }
}
