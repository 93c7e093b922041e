using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kanade.Cli.Bench;
using Kanade.Cli.Infrastructure;
using Kanade.Cli.Tokenize;
using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary>
/// <c>kanade bench tokenize</c>: runs <c>kanade tokenize</c> end to end on a synthetic corpus (16 kHz WAV files of
/// varied lengths, so decoding and resampling are part of it) and reports audio hours per hour and peak RSS.
/// Without <c>--weights</c> the config's architecture runs with random weights (saved to a temporary file first).
/// </summary>
internal static class BenchTokenizeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var model = new ModelOptions(weightsRequired: false);
        var device = DeviceSpec.CreateListOption();
        var files = TokenizeCommand.Positive(new Option<int>("--files") { Description = "Files in the synthetic corpus.", DefaultValueFactory = _ => 24 });
        var seconds = new Option<double>("--seconds") { Description = "Mean file length (lengths spread from half to one and a half times it).", DefaultValueFactory = _ => 10 };
        var batchSize = new Option<int?>("--batch-size", "-b") { Description = "As for tokenize (default: tokenize's, 64 on CUDA and 1 on the CPU)." };
        var decodeThreads = TokenizeCommand.Positive(new Option<int>("--decode-threads") { Description = "As for tokenize.", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount / 2) });
        var repeat = TokenizeCommand.Positive(new Option<int>("--repeat") { Description = "List the corpus this many times in a manifest (distinct ids), for long runs without writing more audio.", DefaultValueFactory = _ => 1 });
        var maxBatchSeconds = new Option<double?>("--max-batch-seconds") { Description = "As for tokenize.", HelpName = "SECONDS" };
        var workersPerDevice = new Option<int?>("--workers-per-device") { Description = "As for tokenize." };
        var shuffle = new Option<bool>("--shuffle") { Description = "List the files in a seeded random order, as a real corpus's manifest mixes lengths: each part then holds a different mix of lengths, and so the batch shapes the device meets differ from part to part." };
        var keep = new Option<string?>("--work-dir") { Description = "Folder for the corpus and output (default: a temporary folder, deleted after).", HelpName = "DIR" };
        var command = new Command("tokenize", "Audio hours per hour and peak RSS of 'kanade tokenize' on a synthetic corpus.") { device, files, seconds, batchSize, decodeThreads, repeat, shuffle, maxBatchSeconds, workersPerDevice, keep };
        model.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            model.CheckFiles(context);
            string work = context.Parse.GetValue(keep) ?? Path.Combine(Path.GetTempPath(), "kanade-bench-" + Guid.NewGuid().ToString("N")[..8]);
            bool temporary = context.Parse.GetValue(keep) is null;
            try
            {
                string corpus = Path.Combine(work, "corpus"), output = Path.Combine(work, "tokens");
                double audioSeconds = WriteCorpus(corpus, context.Get(files), context.Get(seconds)) * context.Get(repeat);
                string input = context.Get(repeat) == 1 && !context.Get(shuffle) ? corpus : WriteManifest(corpus, context.Get(repeat), context.Get(shuffle));
                string config = model.Resolve(context).Config;
                string? weights = context.Parse.GetValue(model.Weights), ssl = context.Parse.GetValue(model.SslWeights);
                if (weights is null)
                {
                    weights = Path.Combine(work, "random.safetensors");
                    using var random = new KanadeModel(ModelConfigLoader.Load(config));
                    SafeTensors.Save(weights, random.state_dict().ToDictionary(e => e.Key, e => e.Value));
                }
                List<string> args = ["tokenize", "--config", config, "--weights", weights, "--input", input, "--output", output, "--overwrite",
                    "--device", context.Get(device), "--decode-threads", I(context.Get(decodeThreads)),
                    "--precision", context.Get(model.Precision)];
                if (context.Parse.GetValue(batchSize) is int size) args.AddRange(["--batch-size", I(size)]);
                if (context.Parse.GetValue(maxBatchSeconds) is double limit) args.AddRange(["--max-batch-seconds", limit.ToString(CultureInfo.InvariantCulture)]);
                if (context.Parse.GetValue(workersPerDevice) is int workers) args.AddRange(["--workers-per-device", I(workers)]);
                if (ssl is not null) args.AddRange(["--ssl-weights", ssl]);
                var captured = new StringWriter();
                int code = 0;
                var measurement = Measurement.Of(() => code = KanadeCli.Run(args, new CliEnvironment
                {
                    Out = captured, Error = context.Error, Interactive = false, Cancellation = context.Cancellation,
                }));
                if (code != ExitCodes.Ok) throw new CliException($"the tokenize run failed (exit code {code}).");
                var summary = JsonSerializer.Deserialize<TokenizeSummary>(File.ReadAllText(Path.Combine(output, "summary.json")))!;
                var o = context.Out;
                o.WriteLine($"bench tokenize: {Path.GetFileName(config)}" + (context.Parse.GetValue(model.Weights) is null ? " (random weights)" : "") +
                            F($", {summary.Files} files{(context.Get(shuffle) ? " (shuffled)" : "")}, {audioSeconds / 3600:F4} h of audio, device {context.Get(device)}, batch {context.Parse.GetValue(batchSize)?.ToString(CultureInfo.InvariantCulture) ?? "default"}, {context.Get(decodeThreads)} decode threads, workers per device {context.Parse.GetValue(workersPerDevice)?.ToString(CultureInfo.InvariantCulture) ?? "default"}, {Environment.ProcessorCount} cores"));
                o.WriteLine(F($"  throughput     {summary.AudioHoursPerHour:F1} audio-hours per hour ({summary.FilesPerSecond:F2} files/s, {summary.WallSeconds:F1} s of tokenizing)"));
                o.WriteLine(F($"  whole run      {measurement.WallSeconds:F1} s wall, {measurement.CpuSeconds:F1} s CPU (model load and hashing included)"));
                o.WriteLine($"  peak RSS       {ProcessMemory.MiB(measurement.PeakBytes)}  (RSS before the run {ProcessMemory.MiB(measurement.BaselineBytes)})");
                o.WriteLine("  stages         " + string.Join(", ", summary.StageSeconds.Select(s => F($"{s.Key} {s.Value:F1} s"))) + " (summed over threads)");
                return ExitCodes.Ok;
            }
            finally
            {
                if (temporary && Directory.Exists(work)) Directory.Delete(work, recursive: true);
            }
        });
        return command;
    }

    /// <summary>Writes the synthetic corpus; returns its total audio seconds.</summary>
    static double WriteCorpus(string folder, int count, double meanSeconds)
    {
        Directory.CreateDirectory(folder);
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            double seconds = meanSeconds * (0.5 + (count == 1 ? 0.5 : (double)i / (count - 1)));
            using var scope = NewDisposeScope();
            AudioFile.Write(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"utt{i:D5}.wav")), SyntheticSpeech.Make(seconds, 16000, seed: i + 1), 16000);
            total += seconds;
        }
        return total;
    }

    /// <summary>
    /// A dump-dataset style manifest naming every file of <paramref name="corpus"/> <paramref name="times"/> times, in
    /// order or shuffled with a fixed seed (the same order in every run).
    /// </summary>
    static string WriteManifest(string corpus, int times, bool shuffle)
    {
        string manifest = Path.Combine(corpus, "manifest.csv");
        var files = Directory.GetFiles(corpus, "*.wav").Order(StringComparer.Ordinal).Select(f => (File: f, Info: AudioFile.Info(f))).ToArray();
        var rows = Enumerable.Range(0, times).SelectMany(r => files.Select(f => string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileNameWithoutExtension(f.File)}_{r},{Path.GetFileName(f.File)},{f.Info.Frames},{f.Info.SampleRate}"))).ToArray();
        if (shuffle) new Random(20261203).Shuffle(rows);
        File.WriteAllLines(manifest, ["audio_id,path,length,sample_rate", .. rows]);
        return manifest;
    }

    static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
    static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
