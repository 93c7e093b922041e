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
            int n = context.Get(runs), half = Math.Max(1, n / 2);
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
            // First calls at lengths not met before, as single utterances of a varied corpus meet them: the GPU
            // libraries plan their kernels per shape.
            double Once(Action work)
            {
                Sync();
                var clock = Stopwatch.StartNew();
                work();
                Sync();
                return clock.Elapsed.TotalSeconds;
            }
            var fresh = Enumerable.Range(1, 4).Select(j => (randn(10 * rate + j * 3331) * 0.1f).to(where)).ToList();
            var encoded = new List<KanadeFeatures>();
            results["encode_new_length_batch1_s"] = fresh.Average(w => Once(() => encoded.Add(kanade.Encode(w))));
            results["decode_new_length_batch1_s"] = encoded.Average(f => Once(() => kanade.Decode(f.GlobalEmbedding!, f.ContentTokenIndices).Dispose()));
            foreach (var f in encoded) f.Dispose();
            foreach (var w in fresh) w.Dispose();

            // The bulk figures as kanade tokenize runs them: batches on KanadeLengths.BatchLength's grid, where cuDNN's
            // attention pays for its per-shape graphs (DeviceSpec.Resolve); the figures above as single-utterance
            // commands run them, without it.
            if (cuda) CudnnAttention.Enabled = true;
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
                }, half, 2);
                results[$"tokenize_batch{b}_10s_s"] = t;
                results[$"tokenize_batch{b}_audio_hours_per_hour"] = b * 10.0 / t;
            }

            // Where the largest bulk batch's time goes.
            int largest = context.Get(batches).Max();
            // Item i of a batch whose lengths spread evenly over [from, from + width] seconds.
            double Spread(int i, double from, double width) => from + width * i / Math.Max(1, largest - 1);
            using (var batch = (randn(largest, 10 * rate) * 0.1f).to(where))
            using (var noGrad = inference_mode())
            {
                int padding = kanade.WaveformPadding(10 * rate);
                var (local, global) = kanade.ForwardSslFeatures(batch, padding);
                results[$"stage_batch{largest}_ssl_s"] = Time(() => kanade.ForwardSslFeatures(batch, padding), half, 1);
                results[$"stage_batch{largest}_content_s"] = Time(() => kanade.ForwardContent(local, reconstructFeatures: false), half, 1);
                results[$"stage_batch{largest}_global_s"] = Time(() => kanade.ForwardGlobal(global), half, 1);
                local.Dispose();
                global.Dispose();

                // The same stages on a length-bucketed batch (9.5-10.5 s): padding masks in every stage. The lengths stay on
                // the CPU, as EncodeBatch passes them (the SSL model reads them there).
                long[] samples = [.. Enumerable.Range(0, largest).Select(i => (long)(rate * Spread(i, 9.5, 1)))];
                using var lengths = tensor(samples);
                using var bucketed = (randn(largest, samples.Max()) * 0.1f).to(where);
                (local, global) = kanade.ForwardSslFeatures(bucketed, padding, lengths);
                using var frames = tensor(samples.Select(kanade.SslFrameCount).ToArray(), device: where);
                using var valid = arange(local.shape[1], device: where).unsqueeze(0) < frames.unsqueeze(1);
                results[$"stage_batch{largest}_bucketed_ssl_s"] = Time(() => kanade.ForwardSslFeatures(bucketed, padding, lengths), half, 1);
                results[$"stage_batch{largest}_bucketed_content_s"] = Time(() => kanade.ForwardContent(local, valid, reconstructFeatures: false), half, 1);
                results[$"stage_batch{largest}_bucketed_global_s"] = Time(() => kanade.ForwardGlobal(global, valid), half, 1);
                local.Dispose();
                global.Dispose();

                // The SSL model's convolutional front end plus its first layer, at its own rate, equal and bucketed.
                var ssl = kanade.SslFeatureExtractor.Model;
                int sslRate = kanade.SslFeatureExtractor.SslSampleRate;
                using var wave16 = (randn(largest, 10L * sslRate) * 0.1f).to(ssl.parameters().First().dtype).to(where);
                using var lengths16 = tensor(Enumerable.Range(0, largest).Select(i => Math.Min((long)(sslRate * Spread(i, 9.5, 1)), 10L * sslRate)).ToArray());
                results[$"stage_batch{largest}_ssl_front_end_s"] = Time(() => ssl.ExtractFeatures(wave16, null, 1), half, 1);
                results[$"stage_batch{largest}_bucketed_ssl_front_end_s"] = Time(() => ssl.ExtractFeatures(wave16, lengths16, 1), half, 1);
                int layers = kanade.SslFeatureExtractor.OutputLayers;
                results[$"stage_batch{largest}_ssl_{layers}_layers_at_ssl_rate_s"] = Time(() => ssl.ExtractFeatures(wave16, null, layers), half, 1);
            }
            // EncodeBatch as tokenize calls it (CPU waveforms in, tokens and global embeddings back on the CPU):
            // equal 10 s lengths, 9.5-10.5 s (a length-bucketed batch) and 5-15 s (padding to 1.5x the mean), from
            // pageable and from pinned memory.
            List<Tensor> CpuWaves(double from, double width, bool pinned) => [.. Enumerable.Range(0, largest).Select(i =>
            {
                var w = randn((long)(rate * Spread(i, from, width))) * 0.1f;
                return pinned ? w.pin_memory() : w;
            })];
            void EncodeBatch(List<Tensor> waves)
            {
                foreach (var f in kanade.EncodeBatch(waves, resultDevice: CPU, returnContentEmbedding: false)) f.Dispose();
            }
            foreach (var (name, spread) in new[] { ("equal", 0.0), ("bucketed", 1.0), ("ragged", 10.0) })
                foreach (bool pinned in cuda ? new[] { false, true } : [false])
                {
                    var waves = CpuWaves(10 - spread / 2, spread, pinned);
                    double audio = waves.Sum(w => (double)w.shape[0]) / rate;
                    double t = Time(() => EncodeBatch(waves), half, 2);
                    string key = $"encode_batch{largest}_{name}_{(pinned ? "pinned" : "pageable")}";
                    results[key + "_s"] = t;
                    results[key + "_audio_hours_per_hour"] = audio / t;
                    foreach (var w in waves) w.Dispose();
                }

            // Ragged batches whose longest items are 0.35 s apart, each on a grid step of its own: a new shape each.
            results[$"encode_batch{largest}_ragged_new_lengths_{(cuda ? "pinned" : "pageable")}_s"] = Enumerable.Range(1, 4).Average(j =>
            {
                var waves = CpuWaves(5 + 0.35 * j, 10, pinned: cuda);
                double t = Once(() => EncodeBatch(waves));
                foreach (var w in waves) w.Dispose();
                return t;
            });

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
