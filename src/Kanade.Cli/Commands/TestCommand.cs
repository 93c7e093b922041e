// `kanade test`: the reference's `cli.py test --config`.
using System.CommandLine;
using System.Globalization;
using Kanade.Cli.Infrastructure;
using Kanade.Training.Fit;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade test --config X.yaml [--ckpt_path CKPT|last] [--dotted.key value ...]</c>.</summary>
internal static class TestCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var options = new TrainingCommandOptions();
        var command = new Command("test",
            "Evaluate the test split (data.test_config) with the weights of --ckpt_path (else pipeline_config.ckpt_path): the test/* losses, logged to TensorBoard.");
        options.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            var (config, yaml) = options.Load(context);
            using var vocoder = options.LoadVocoder(context, config);
            var metrics = new KanadeTrainer(config, options.FitOptions(context, vocoder, yaml) with { Progress = null }).Test();
            foreach (var (tag, value) in metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tag}\t{value:G6}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
