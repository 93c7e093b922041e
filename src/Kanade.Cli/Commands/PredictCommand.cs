// `kanade predict`: the reference's `cli.py predict --config` (generated audio of the test split).
using System.CommandLine;
using Kanade.Cli.Infrastructure;
using Kanade.Training.Fit;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade predict --config X.yaml --output DIR [--vocoder-weights DIR] [--ckpt_path CKPT] [--dotted.key value ...]</c>.</summary>
internal static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var options = new TrainingCommandOptions();
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder for the results: AUDIO_ID[_OFFSET].wav with --vocoder-weights, else AUDIO_ID[_OFFSET].mel.safetensors.",
            HelpName = "DIR",
            Required = true,
        };
        var command = new Command("predict", "Resynthesize the test split (data.test_config) through the model and, given one, a vocoder.");
        options.AddTo(command);
        command.Add(output);
        CommandRunner.SetBody(command, environment, context =>
        {
            var (config, yaml) = options.Load(context);
            using var vocoder = options.LoadVocoder(context, config);
            string directory = Path.GetFullPath(context.Get(output));
            var written = new KanadeTrainer(config, options.FitOptions(context, vocoder, yaml)).Predict(directory);
            context.Out.WriteLine($"wrote {written.Count} files to {directory}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
