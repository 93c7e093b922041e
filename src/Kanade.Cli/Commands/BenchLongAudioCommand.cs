using System.CommandLine;
using System.Globalization;
using Kanade.Cli.Bench;
using Kanade.Cli.LongAudio;
using Kanade.Cli.Infrastructure;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Cli.Commands;

/// <summary>
/// <c>kanade bench long-audio</c>: how windowed encoding of long recordings compares with whole-utterance encoding
/// (token agreement, global-embedding cosine) on a recording of <c>--seconds</c> made by concatenating the given
/// clips, and the peak memory of encoding a much longer one (an hour by default) in windows.
/// </summary>
internal static class BenchLongAudioCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var model = new ModelOptions(weightsRequired: false);
        var window = new WindowOptions();
        var device = DeviceSpec.CreateOption();
        var audio = new Option<string[]>("--audio") { Description = "Clips concatenated (and repeated) into the long recordings; default: synthetic speech.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var seconds = new Option<double>("--seconds") { Description = "Length of the recording compared with whole-utterance encoding.", DefaultValueFactory = _ => 60 };
        var memorySeconds = new Option<double>("--memory-seconds") { Description = "Length of the recording whose windowed-encoding peak memory is measured (0: skip).", DefaultValueFactory = _ => 3600 };
        var command = new Command("long-audio", "Token agreement of windowed vs whole-utterance encoding, and peak memory on a long recording.") { device, audio, seconds, memorySeconds };
        model.AddTo(command);
        window.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            var where = DeviceSpec.Resolve(context.Get(device));
            using var kanade = model.Load(context, where);
            var encoder = window.Create(context, kanade);
            var clips = context.Get(audio);
            var o = context.Out;
            o.WriteLine($"bench long-audio: {Path.GetFileName(model.Resolve(context).Config)}" + (context.Parse.GetValue(model.Weights) is null ? " (random weights)" : "") +
                        F($", window {context.Get(window.Seconds):G} s, context {context.Get(window.Context):G} s, device {context.Get(device)}"));

            using (var scope = NewDisposeScope())
            {
                double length = context.Get(seconds);
                var recording = BenchRecording.Make(clips, length, kanade.Config.SampleRate).to(where);
                if (!encoder.IsWindowed(recording.shape[0]))
                    throw CliException.Usage($"--seconds {length:G} fits in one window; pick a length above --window-seconds.");
                using var whole = kanade.Encode(recording, returnContent: true, returnGlobal: true);
                using var windowed = encoder.Encode(recording, returnContentEmbedding: false);
                var a = whole.ContentTokenIndices!.cpu();
                var b = windowed.ContentTokenIndices!.cpu();
                if (a.shape[0] != b.shape[0]) throw new CliException($"windowed encoding gave {b.shape[0]} tokens, whole-utterance {a.shape[0]}.");
                double agreement = a.eq(b).to(ScalarType.Float64).mean().item<double>();
                double cosine = functional.cosine_similarity(whole.GlobalEmbedding!.cpu().unsqueeze(0), windowed.GlobalEmbedding!.cpu().unsqueeze(0)).item<float>();
                o.WriteLine(F($"  {length:G} s ({a.shape[0]} tokens, {encoder.PlanWindows(a.shape[0]).Count} windows): token agreement {100 * agreement:F2}%, global embedding cosine {cosine:F4}"));
                // How far the model's tokens move under a perturbation no listener hears: the scale to read the agreement against.
                var generator = new Generator(1, where);
                var noisy = recording + randn(recording.shape, generator: generator, device: where) * 1e-3;
                using var perturbed = kanade.Encode(noisy, returnContent: true, returnGlobal: false);
                double baseline = perturbed.ContentTokenIndices!.cpu().eq(a).to(ScalarType.Float64).mean().item<double>();
                o.WriteLine(F($"  for scale: whole-utterance tokens of the same recording plus white noise at -60 dB agree {100 * baseline:F2}% with the clean ones"));
            }

            double longSeconds = context.Get(memorySeconds);
            if (longSeconds > 0)
            {
                Tensor? recording = null;
                recording = BenchRecording.Make(clips, longSeconds, kanade.Config.SampleRate);
                long tokens = 0;
                var measured = Measurement.Of(() =>
                {
                    using var features = encoder.Encode(recording!.to(where), returnContentEmbedding: false);
                    tokens = features.ContentTokenIndices!.shape[0];
                });
                long waveformBytes = recording!.numel() * 4;
                recording.Dispose();
                o.WriteLine(F($"  {longSeconds:G} s ({tokens} tokens): {measured.WallSeconds:F1} s wall, peak RSS {ProcessMemory.MiB(measured.PeakBytes)} ") +
                            $"(+{ProcessMemory.MiB(measured.PeakBytes - measured.BaselineBytes)} over the RSS before the encode, which holds the {ProcessMemory.MiB(waveformBytes)} waveform)");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
