// `kanade validate` and `kanade test`: the reference's `cli.py validate | test --config`.
using System.CommandLine;
using System.Globalization;
using Kanade.Cli.Infrastructure;
using Kanade.Training.Fit;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade validate|test --config X.yaml [--ckpt_path CKPT|last] [--dotted.key value ...]</c>: one split's losses.</summary>
internal static class EvaluateCommand
{
    /// <summary>Builds <c>validate</c>.</summary>
    public static Command Validate(CliEnvironment environment) => Create(environment, "validate",
        "Evaluate the validation split (data.val_config) with the weights of --ckpt_path (else pipeline_config.ckpt_path): the val/* losses, logged to TensorBoard.",
        trainer => trainer.Validate());

    /// <summary>Builds <c>test</c>.</summary>
    public static Command Test(CliEnvironment environment) => Create(environment, "test",
        "Evaluate the test split (data.test_config) with the weights of --ckpt_path (else pipeline_config.ckpt_path): the test/* losses, logged to TensorBoard.",
        trainer => trainer.Test());

    static Command Create(CliEnvironment environment, string name, string description, Func<KanadeTrainer, IReadOnlyDictionary<string, double>> evaluate)
    {
        var options = new TrainingCommandOptions();
        var command = new Command(name, description);
        options.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            var (config, yaml) = options.Load(context);
            using var vocoder = options.LoadVocoder(context, config);
            var metrics = evaluate(new KanadeTrainer(config, options.FitOptions(context, vocoder, yaml) with { Progress = null }));
            foreach (var (tag, value) in metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tag}\t{value:G6}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
