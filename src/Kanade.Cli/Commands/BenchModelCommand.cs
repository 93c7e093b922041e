using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kanade.Cli.Infrastructure;
using Kanade.Vocoders;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary>
/// <c>kanade bench model</c>: the figures the Python reference's bench script measures, under the same names, so the
/// two can be put side by side (scripts/gpu/compare.py): single-utterance encode and decode of 10 s, Vocos on the
/// resulting mel, and the batched SSL + content + global pass of the bulk path (16 and 64 x 10 s).
/// </summary>
internal static class BenchModelCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var model = new ModelOptions(weightsRequired: false);
        var device = DeviceSpec.CreateOption();
        var runs = TokenizeCommand.Positive(new Option<int>("--runs") { Description = "Timed runs per figure (after warm-up runs); the mean is reported, as the reference does.", DefaultValueFactory = _ => 10 });
        var json = new Option<string?>("--json") { Description = "Also write the figures to this JSON file.", HelpName = "FILE" };
        var batches = new Option<int[]>("--batches") { Description = "Batch sizes of the bulk pass.", DefaultValueFactory = _ => [16, 64], AllowMultipleArgumentsPerToken = true };
        var command = new Command("model", "Encode/decode latency, Vocos, and bulk-pass throughput, named as the reference's bench script names them.") { device, runs, json, batches };
        model.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            var where = DeviceSpec.Resolve(context.Get(device));
            bool cuda = where.type == DeviceType.CUDA;
            if (cuda)
            {
                // As PyTorch's defaults: TF32 in convolutions, not in matmuls.
                backends.cudnn.allow_tf32 = true;
            }
            void Sync() { if (cuda) torch.cuda.synchronize(); }
            int n = context.Get(runs);
            double Time(Action work, int count, int warm)
            {
                for (int i = 0; i < warm; i++) { using var s = NewDisposeScope(); work(); }
                Sync();
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < count; i++) { using var s = NewDisposeScope(); work(); }
                Sync();
                return clock.Elapsed.TotalSeconds / count;
            }

            using var kanade = model.Load(context, where);
            int rate = kanade.Config.SampleRate;
            var results = new Dictionary<string, object>
            {
                ["device"] = cuda ? $"cuda ({context.Get(device)})" : $"cpu ({Environment.ProcessorCount} cores)",
                ["precision"] = PrecisionOption.Resolve(context.Get(model.Precision), where),
                ["config"] = Path.GetFileName(model.Resolve(context).Config),
            };
            using var wave = (randn(10 * rate) * 0.1f).to(where);
            results["encode_10s_batch1_s"] = Time(() => kanade.Encode(wave), n, 3);
            results["encode_rtf_x"] = 10.0 / (double)results["encode_10s_batch1_s"];
            using var features = kanade.Encode(wave);
            results["decode_10s_batch1_s"] = Time(() => kanade.Decode(features.GlobalEmbedding!, features.ContentTokenIndices), n, 3);
            using var mel = kanade.Decode(features.GlobalEmbedding!, features.ContentTokenIndices);
            if (kanade.Config.VocoderName == "vocos" && mel.shape[0] == VocosConfig.Mel24kHz.Backbone.InputChannels)
            {
                using var vocos = new Vocos(VocosConfig.Mel24kHz);
                vocos.to(where);
                using var batchedMel = mel.unsqueeze(0);
                using (inference_mode()) results["vocos_10s_batch1_s"] = Time(() => vocos.Vocode(batchedMel), n, 3);
            }
            foreach (int b in context.Get(batches))
            {
                using var batch = (randn(b, 10 * rate) * 0.1f).to(where);
                int padding = kanade.WaveformPadding(10 * rate);
                double t = Time(() =>
                {
                    using var _ = inference_mode();
                    var (local, global) = kanade.ForwardSslFeatures(batch, padding);
                    kanade.ForwardContent(local, reconstructFeatures: false);
                    kanade.ForwardGlobal(global);
                }, Math.Max(1, n / 2), 2);
                results[$"tokenize_batch{b}_10s_s"] = t;
                results[$"tokenize_batch{b}_audio_hours_per_hour"] = b * 10.0 / t;
            }

            double flopsPerSecond = Bench.ModelFlops.EncodePerAudioSecond(kanade);
            results["encode_gflop_per_audio_second"] = flopsPerSecond / 1e9;
            foreach (int b in context.Get(batches))
                results[$"tokenize_batch{b}_tflop_per_s"] = flopsPerSecond * (double)results[$"tokenize_batch{b}_audio_hours_per_hour"] / 1e12;

            foreach (var (key, value) in results)
                context.Out.WriteLine(value is double d ? string.Create(CultureInfo.InvariantCulture, $"  {key,-40} {d:G5}") : $"  {key,-40} {value}");
            if (context.Parse.GetValue(json) is string file) File.WriteAllText(file, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
