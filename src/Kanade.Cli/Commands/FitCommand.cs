// `kanade fit`: train or fine-tune from a training YAML (the reference's `cli.py fit --config`).
using System.CommandLine;
using Kanade.Cli.Infrastructure;
using Kanade.Training.Fit;
using Kanade.Training.Pipeline;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade fit --config X.yaml [--ckpt_path CKPT|last] [--dotted.key value ...]</c>.</summary>
internal static class FitCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var options = new TrainingCommandOptions();
        var validateFirst = new Option<bool>("--validate-first") { Description = "Validate once before the first step (logged at step 0)." };
        var benchmark = new Option<int>("--benchmark-steps")
        {
            Description = "Measure instead of train: time this many steps on synthetic batches (after 3 warm-up steps) and print ms/step, " +
                          "samples/s, peak GPU memory and the losses; needs no data and no SSL weights.",
            HelpName = "N",
        };
        var benchmarkBatch = new Option<int>("--benchmark-batch") { Description = "Items per benchmark step.", DefaultValueFactory = _ => 16, HelpName = "B" };
        var command = new Command("fit", "Train or fine-tune a Kanade model from a training YAML: pretraining or GAN post-training, resumable, logged to TensorBoard.");
        options.AddTo(command);
        command.Add(validateFirst);
        command.Add(benchmark);
        command.Add(benchmarkBatch);
        CommandRunner.SetBody(command, environment, context =>
        {
            var (config, yaml) = options.Load(context);
            if (context.Get(benchmark) is int steps and > 0)
            {
                var measured = TrainingBenchmark.Run(config, new TrainingPipelineOptions
                {
                    Device = options.ResolveDevice(context) ?? (cuda.is_available() ? CUDA : CPU),
                    SslWeightsPath = context.Get(options.SslWeights),
                    StepCounting = options.Counting(context),
                }, context.Get(benchmarkBatch), steps, log: context.Error, clockedSteps: 5);
                context.Out.WriteLine(measured);
                return ExitCodes.Ok;
            }
            using var vocoder = options.LoadVocoder(context, config);
            var fitOptions = options.FitOptions(context, vocoder, yaml) with { ValidateBeforeTraining = context.Get(validateFirst) };
            // Ctrl+C ends the run after the current step and writes `last` where a ModelCheckpoint asks for it.
            var fit = new KanadeTrainer(config, fitOptions).Fit();
            context.Out.WriteLine($"{(fit.Cancelled ? "stopped" : "done")} at step {fit.GlobalStep}: logs in {fit.LogDirectory}" +
                                  (fit.LastCheckpoint is null ? "" : $", last checkpoint {fit.LastCheckpoint}") +
                                  (fit.BestCheckpoint is null ? "" : $", best {fit.BestCheckpoint}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
