using System.CommandLine;
using System.Globalization;
using Kanade.Cli.LongAudio;
using Kanade.Cli.Infrastructure;
using Kanade.Cli.Tokenize;
using Kanade.MLNet;

namespace Kanade.Cli.Commands;

/// <summary>
/// <c>kanade tokenize</c>: a corpus (manifest or folder) to Parquet part files of tokens and global embeddings;
/// resumable, sharded, one worker per device.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var model = new ModelOptions();
        var input = new Option<string>("--input", "-i") { Description = "A manifest (.csv/.parquet with audio_id,path,length,sample_rate) or a folder of audio files.", Required = true, HelpName = "MANIFEST|DIR" };
        var pattern = new Option<string>("--pattern", "-p") { Description = "Glob for folder input (** for any depth).", DefaultValueFactory = _ => "**/*.wav", HelpName = "GLOB" };
        var audioRoot = new Option<string?>("--audio-root") { Description = "Folder manifest paths are relative to (default: the manifest's folder).", HelpName = "DIR" };
        var output = new Option<string>("--output", "-o") { Description = "Output folder: part-NNNNN.parquet, errors.parquet, summary.json, _SUCCESS.", Required = true, HelpName = "OUTDIR" };
        var device = DeviceSpec.CreateListOption();
        var batchSize = new Option<int?>("--batch-size", "-b") { Description = "Utterances per batch on a device (length-bucketed); default 64 on CUDA, 1 on the CPU, where padded batches cost more than they save." };
        var maxBatchSeconds = new Option<double?>("--max-batch-seconds") { Description = "Most audio (padded) in one batch; default 1280 s on CUDA, 240 s on the CPU.", HelpName = "SECONDS" };
        maxBatchSeconds.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is <= 0) r.AddError($"--max-batch-seconds must be positive, got {r.GetValueOrDefault<double?>()}."); });
        batchSize.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError($"--batch-size must be at least 1, got {r.GetValueOrDefault<int?>()}."); });
        var numShards = Positive(new Option<int>("--num-shards") { Description = "Split the corpus into this many shards (whole parts each); run each with its --shard.", DefaultValueFactory = _ => 1 });
        var shard = new Option<int>("--shard") { Description = "The shard this run writes, 0 .. --num-shards - 1.", DefaultValueFactory = _ => 0 };
        var maxErrors = new Option<int>("--max-errors") { Description = "Unreadable files tolerated before the run fails (-1: no limit).", DefaultValueFactory = _ => 100 };
        var rowsPerPart = Positive(new Option<int>("--rows-per-part") { Description = "Files per part file; part boundaries depend on this and the corpus only.", DefaultValueFactory = _ => 4096 });
        var overwrite = new Option<bool>("--overwrite") { Description = "Delete this shard's earlier output and start over (default: skip finished parts)." };
        var window = new WindowOptions();
        Option<double> windowSeconds = window.Seconds, contextSeconds = window.Context;
        var workersPerDevice = new Option<int?>("--workers-per-device") { Description = "Threads feeding each device (sharing its model): one prepares and copies a batch while another's runs; default 2 on CUDA, 1 on the CPU." };
        workersPerDevice.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError($"--workers-per-device must be at least 1, got {r.GetValueOrDefault<int?>()}."); });
        var decodeThreads = Positive(new Option<int>("--decode-threads") { Description = "Background threads decoding and resampling audio.", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount / 2) });

        var command = new Command("tokenize", "Tokenize a corpus to Parquet part files (resumable, shardable, several devices).");
        model.AddTo(command);
        foreach (Option option in new Option[] { input, pattern, audioRoot, output, device, batchSize, maxBatchSeconds, workersPerDevice, numShards, shard, maxErrors, rowsPerPart, overwrite, decodeThreads })
            command.Add(option);
        window.AddTo(command);

        CommandRunner.SetBody(command, environment, context =>
        {
            int shards = context.Get(numShards), index = context.Get(shard);
            if (index < 0 || index >= shards) throw CliException.Usage($"--shard {index} is outside 0..{shards - 1} (--num-shards {shards}).");
            window.Check(context);
            model.CheckFiles(context);
            string inputPath = context.Get(input);
            if (!Directory.Exists(inputPath)) PathChecks.ExistingFile(inputPath, "--input");
            string? root = context.Parse.GetValue(audioRoot);
            if (root is not null) PathChecks.ExistingDirectory(root, "--audio-root");
            var corpus = Corpus.Open(inputPath, context.Get(pattern), root);
            if (corpus.Items.Count == 0) throw new CliException($"--input '{inputPath}': no audio files (pattern '{context.Get(pattern)}').");

            var deviceNames = DeviceSpec.Split(context.Get(device));
            var devices = deviceNames.Select(name => DeviceSpec.Resolve(name, fewShapes: true)).ToList();
            var plan = new PartPlan(corpus.Items.Count, context.Get(rowsPerPart), context.Get(numShards), context.Get(shard));
            var files = model.Resolve(context);
            var reference = KanadeModelReference.FromFiles(files.Config, files.Weights!, files.SslWeights);
            var record = new JobRecord
            {
                Corpus = corpus.Source,
                CorpusSha256 = corpus.Fingerprint(),
                Items = corpus.Items.Count,
                RowsPerPart = plan.RowsPerPart,
                ConfigSha256 = reference.ConfigSha256,
                Weights = string.Join(",", new[] { reference.WeightsSha256, reference.SslWeightsSha256 }.OfType<string>()),
                WindowSeconds = context.Get(windowSeconds),
                WindowContextSeconds = context.Get(contextSeconds),
                Precision = PrecisionOption.Resolve(context.Get(model.Precision), devices[0]),
            };

            // One model per device, shared by that device's workers. The first is loaded here, so a bad checkpoint fails
            // before any work starts, and gives the figures the metadata and the windowing need; the others load on
            // their first worker's thread.
            var first = model.Load(context, devices[0]);
            var models = devices.Select((d, i) => i == 0 ? new Lazy<KanadeModel>(first) : new Lazy<KanadeModel>(() => model.Load(context, d))).ToList();
            bool onGpu = devices.All(d => d.type == TorchSharp.DeviceType.CUDA);
            // libtorch's intra-op pool is process-wide: with many decode threads each running small resampling ops, a
            // pool per op oversubscribes the cores (measured: 120 vs 506 files/s on 2 cores). The GPU needs no CPU
            // threads for the model, so on CUDA each decode thread runs its ops alone.
            if (onGpu) TorchSharp.torch.set_num_threads(1);
            int workers = context.Parse.GetValue(workersPerDevice) ?? (onGpu ? 2 : 1);
            var windows = new WindowedEncoder(first, record.WindowSeconds, record.WindowContextSeconds);
            var writer = new ParquetTokenPartWriter(KanadeParquetMetadata.FromModel(first, reference) with { WeightsSha256 = record.Weights });
            var job = new TokenizeJob
            {
                Corpus = corpus,
                Plan = plan,
                Store = new OutputStore(context.Get(output), plan, writer.Extension),
                Record = record,
                Writer = writer,
                Audio = new FileAudioSource(first.Config.SampleRate, first.MinimumSamples, pinMemory: onGpu),
                Encoders = [.. deviceNames.SelectMany((name, i) => Enumerable.Range(0, workers).Select(_ => (Func<IBatchEncoder>)(() =>
                {
                    var loaded = models[i].Value;
                    return new ModelBatchEncoder(loaded, name, devices[i], new WindowedEncoder(loaded, record.WindowSeconds, record.WindowContextSeconds), ownsModel: false);
                })))],
                IsWindowed = windows.IsWindowed,
                BatchSize = context.Parse.GetValue(batchSize) ?? (onGpu ? 64 : 1),
                MaxBatchSamples = (long)(first.Config.SampleRate * (context.Parse.GetValue(maxBatchSeconds) ?? (onGpu ? 1280 : 240))),
                DecodeThreads = context.Get(decodeThreads),
                MaxErrors = context.Get(maxErrors),
                Overwrite = context.Get(overwrite),
                DeviceNames = deviceNames,
                Hooks = context.Environment.TokenizeHooks,
            };
            long total = plan.ShardParts().Sum(p => (long)plan.Items(p).Count);
            TokenizeSummary summary;
            try
            {
                summary = ProgressDisplay.Run(context.Environment, "tokenize", total, showAudioRate: true,
                    progress => new TokenizeRunner(job).Run(progress, context.Cancellation));
            }
            finally
            {
                foreach (var loaded in models.Where(m => m.IsValueCreated)) loaded.Value.Dispose();
            }
            context.Out.WriteLine(FormattableString.Invariant(
                $"tokenized {summary.Files} files ({summary.Hours:F3} h of audio, {summary.Tokens} tokens) into '{job.Store.Root}'; this run: {summary.RunFiles} files in {summary.WallSeconds:F1} s, {summary.AudioHoursPerHour:F1} audio-h/h; {summary.PartsSkipped} of {summary.Parts} parts already done."));
            if (summary.Errors > 0)
                context.Error.WriteLine($"warning: {summary.Errors} files could not be tokenized; see '{job.Store.ErrorsPath}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"{option.Name} must be at least 1, got {r.GetValueOrDefault<int>()}."); });
        return option;
    }
}
