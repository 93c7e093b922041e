// `kanade test`: the reference's `cli.py test --config`.
using System.CommandLine;
using Kanade.Training.Fit;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade test --config X.yaml [--ckpt_path CKPT] [--dotted.key value ...]</c>.</summary>
public static class TestCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = TrainingCommandOptions.Config();
        var ssl = TrainingCommandOptions.SslWeights();
        var device = TrainingCommandOptions.Device();
        var vocoder = TrainingCommandOptions.Vocoder();
        var counting = TrainingCommandOptions.StepCounting();
        var command = new Command("test", "Evaluate the test split (data.test_config) with the model of --ckpt_path (or pipeline_config.ckpt_path): test/* losses.");
        TrainingCommandOptions.AddTo(command, config, ssl, device, vocoder, counting);
        command.SetAction(result => TrainingCommandOptions.Run(() =>
        {
            var (training, yaml) = TrainingCommandOptions.Load(result, config);
            using var vocoderModel = TrainingCommandOptions.LoadVocoder(result.GetValue(vocoder), training);
            new KanadeTrainer(training, TrainingCommandOptions.FitOptions(result, ssl, device, counting, vocoderModel, yaml)).Test();
            return 0;
        }));
        return command;
    }
}
