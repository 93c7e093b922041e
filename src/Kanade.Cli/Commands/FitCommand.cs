// `kanade fit`: train or fine-tune from a training YAML (the reference's `cli.py fit --config`).
using System.CommandLine;
using Kanade.Training.Fit;
using Kanade.Training.Pipeline;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade fit --config X.yaml [--dotted.key value ...]</c>.</summary>
public static class FitCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = TrainingCommandOptions.Config();
        var ssl = TrainingCommandOptions.SslWeights();
        var device = TrainingCommandOptions.Device();
        var vocoder = TrainingCommandOptions.Vocoder();
        var counting = TrainingCommandOptions.StepCounting();
        var validateFirst = new Option<bool>("--validate-first") { Description = "Validate once before the first step (logged at step 0)." };
        var benchmark = new Option<int>("--benchmark-steps")
        {
            Description = "Measure instead of train: time this many steps on synthetic batches (after 3 warm-up steps) and print samples/s, " +
                          "peak GPU memory and the losses; needs no data or SSL weights.",
        };
        var benchmarkBatch = new Option<int>("--benchmark-batch") { Description = "Items per benchmark step.", DefaultValueFactory = _ => 16 };
        var command = new Command("fit", "Train or fine-tune a Kanade model: pretraining or GAN post-training, resumable, logged to TensorBoard.");
        TrainingCommandOptions.AddTo(command, config, ssl, device, vocoder, counting, validateFirst, benchmark, benchmarkBatch);
        command.SetAction(result => TrainingCommandOptions.Run(() =>
        {
            var (training, yaml) = TrainingCommandOptions.Load(result, config);
            if (result.GetValue(benchmark) is int steps and > 0)
            {
                var measured = TrainingBenchmark.Run(training, new TrainingPipelineOptions
                {
                    Device = TrainingCommandOptions.ParseDevice(result.GetValue(device)) ?? (TorchSharp.torch.cuda.is_available() ? TorchSharp.torch.CUDA : TorchSharp.torch.CPU),
                    SslWeightsPath = result.GetValue(ssl)?.FullName,
                    StepCounting = TrainingCommandOptions.ParseStepCounting(result.GetRequiredValue(counting)),
                }, result.GetRequiredValue(benchmarkBatch), steps, log: Console.Out);
                Console.WriteLine(measured);
                return 0;
            }
            using var vocoderModel = TrainingCommandOptions.LoadVocoder(result.GetValue(vocoder), training);
            var options = TrainingCommandOptions.FitOptions(result, ssl, device, counting, vocoderModel, yaml) with
            {
                ValidateBeforeTraining = result.GetValue(validateFirst),
            };
            using var cancel = new CancellationTokenSource();
            // Ctrl+C ends the run after the current step, writing `last` where a ModelCheckpoint asks for it.
            ConsoleCancelEventHandler stop = (_, e) => { e.Cancel = true; cancel.Cancel(); };
            Console.CancelKeyPress += stop;
            try
            {
                var fit = new KanadeTrainer(training, options with { Cancellation = cancel.Token }).Fit();
                Console.WriteLine($"{(fit.Cancelled ? "stopped" : "done")} at step {fit.GlobalStep}: logs in {fit.LogDirectory}" +
                                  (fit.LastCheckpoint is null ? "" : $", last checkpoint {fit.LastCheckpoint}") +
                                  (fit.BestCheckpoint is null ? "" : $", best {fit.BestCheckpoint}"));
                return 0;
            }
            finally
            {
                Console.CancelKeyPress -= stop;
            }
        }));
        return command;
    }
}
