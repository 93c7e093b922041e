using System.CommandLine;
using System.Globalization;
using Kanade.Cli.Bench;
using Kanade.Cli.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary>
/// <c>kanade bench encode</c>: CPU time, wall time and peak memory of encoding one recording (10 s by default), the
/// median of several runs after a warm-up, for a config with its weights or with random weights.
/// </summary>
internal static class BenchEncodeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var model = new ModelOptions(weightsRequired: false);
        var device = DeviceSpec.CreateOption();
        var seconds = new Option<double>("--seconds") { Description = "Length of the recording encoded.", DefaultValueFactory = _ => 10 };
        var runs = TokenizeCommand.Positive(new Option<int>("--runs") { Description = "Measured runs (after one warm-up); the median is reported.", DefaultValueFactory = _ => 5 });
        var audio = new Option<string?>("--audio") { Description = "Encode this file (cut or looped to --seconds) instead of a synthetic signal.", HelpName = "FILE" };
        var command = new Command("encode", "Median CPU time, wall time and peak memory to encode a recording.") { device, seconds, runs, audio };
        model.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            var where = DeviceSpec.Resolve(context.Get(device));
            using var kanade = model.Load(context, where);
            double length = context.Get(seconds);
            using var waveform = BenchRecording.Make(context.Parse.GetValue(audio) is { } file ? [file] : [], length, kanade.Config.SampleRate).to(where);
            void Encode()
            {
                using var features = kanade.Encode(waveform);
                if (where.type == DeviceType.CUDA) cuda.synchronize();
            }
            Encode();                                                                      // warm-up: kernels, caches, masks
            var measured = Enumerable.Range(0, context.Get(runs)).Select(_ => Measurement.Of(Encode)).ToList();
            double wall = Measurement.Median(measured.Select(m => m.WallSeconds));
            double cpu = Measurement.Median(measured.Select(m => m.CpuSeconds));
            long peak = (long)Measurement.Median(measured.Select(m => (double)m.PeakBytes));
            long growth = (long)Measurement.Median(measured.Select(m => (double)(m.PeakBytes - m.BaselineBytes)));
            long parameters = kanade.parameters().Sum(p => p.numel());
            var o = context.Out;
            o.WriteLine($"bench encode: {Path.GetFileName(model.Resolve(context).Config)}" + (context.Parse.GetValue(model.Weights) is null ? " (random weights)" : "") +
                        F($", {parameters:N0} parameters, {length:G} s of audio, device {context.Get(device)}, {Environment.ProcessorCount} cores, median of {measured.Count} runs"));
            o.WriteLine(F($"  wall time      {wall:F3} s  ({length / wall:F1}x real time)"));
            o.WriteLine(F($"  CPU time       {cpu:F3} s  (all threads)"));
            o.WriteLine($"  peak RSS       {ProcessMemory.MiB(peak)}  (+{ProcessMemory.MiB(growth)} over the RSS before the run)");
            return ExitCodes.Ok;
        });
        return command;
    }

    static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
