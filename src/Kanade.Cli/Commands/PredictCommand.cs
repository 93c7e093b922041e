// `kanade predict`: the reference's `cli.py predict --config` (generated audio of the test split).
using System.CommandLine;
using Kanade.Training.Fit;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade predict --config X.yaml --output DIR [--vocoder DIR] [--ckpt_path CKPT] [--dotted.key value ...]</c>.</summary>
public static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = TrainingCommandOptions.Config();
        var ssl = TrainingCommandOptions.SslWeights();
        var device = TrainingCommandOptions.Device();
        var vocoder = TrainingCommandOptions.Vocoder();
        var counting = TrainingCommandOptions.StepCounting();
        var output = new Option<DirectoryInfo>("--output", "-o")
        {
            Description = "Folder for the results: AUDIO_ID[_OFFSET].wav with --vocoder, else AUDIO_ID[_OFFSET].mel.safetensors.",
            Required = true,
        };
        var command = new Command("predict", "Resynthesize the test split (data.test_config) through the model (and a vocoder).");
        TrainingCommandOptions.AddTo(command, config, ssl, device, vocoder, counting, output);
        command.SetAction(result => TrainingCommandOptions.Run(() =>
        {
            var (training, yaml) = TrainingCommandOptions.Load(result, config);
            using var vocoderModel = TrainingCommandOptions.LoadVocoder(result.GetValue(vocoder), training);
            var written = new KanadeTrainer(training, TrainingCommandOptions.FitOptions(result, ssl, device, counting, vocoderModel, yaml))
                .Predict(result.GetRequiredValue(output).FullName);
            Console.WriteLine($"wrote {written.Count} files to {result.GetRequiredValue(output).FullName}");
            return 0;
        }));
        return command;
    }
}
