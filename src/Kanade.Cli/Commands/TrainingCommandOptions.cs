// What the training commands share: the config with its overrides, device, SSL weights, vocoder, error reporting.
using System.CommandLine;
using Kanade.IO;
using Kanade.Training.Config;
using Kanade.Training.Fit;
using Kanade.Training.Pipeline;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary>Options common to <c>fit</c>, <c>validate</c>, <c>test</c> and <c>predict</c>, and the code that applies them.</summary>
static class TrainingCommandOptions
{
    public static Option<FileInfo> Config() => new("--config", "-c")
    {
        Description = "Training YAML in the reference's LightningCLI format (config/train/*.yaml). Any key can be overridden after it " +
                      "with --dotted.key value (init_args may be left out), e.g. --trainer.max_steps 1000 --data.train_config.csv_path train.csv; " +
                      "--ckpt_path PATH (or last) resumes fit and selects the weights of validate/test/predict.",
        Required = true,
    };

    public static Option<FileInfo?> SslWeights() => new("--ssl-weights")
    {
        Description = "WavLM weights for the frozen SSL model (torchaudio .pth, Hugging Face, or safetensors), unless the checkpoint holds them.",
    };

    public static Option<string?> Device() => new("--device")
    {
        Description = "cpu, cuda or cuda:N; default: trainer.accelerator (auto picks CUDA when available).",
    };

    public static Option<DirectoryInfo?> Vocoder() => new("--vocoder")
    {
        Description = "Folder with the vocoder that model_config.vocoder_name names (Vocos: config.yaml + pytorch_model.bin; HiFT: hift.pt), " +
                      "for validation audio and predict.",
    };

    public static Option<string> StepCounting() => new("--step-counting")
    {
        Description = "What a step is for max_steps, discriminator_start_step and checkpoints: 'training' (one per generator update, " +
                      "the default) or 'lightning' (every optimizer update, as Lightning's global_step: two per GAN step).",
        DefaultValueFactory = _ => "training",
    };

    /// <summary>Adds the shared options and lets unknown <c>--dotted.key value</c> tokens through as overrides.</summary>
    public static void AddTo(Command command, params Option[] options)
    {
        foreach (var option in options) command.Options.Add(option);
        command.TreatUnmatchedTokensAsErrors = false;
    }

    /// <summary>Loads the config with the command line's overrides.</summary>
    public static (KanadeTrainingConfig Config, string Yaml) Load(ParseResult result, Option<FileInfo> config) =>
        TrainingConfigLoader.LoadEffective(result.GetRequiredValue(config).FullName, ConfigOverrides.Parse(result.UnmatchedTokens));

    public static Device? ParseDevice(string? text) => text is null ? null : TorchSharp.torch.device(text);

    public static StepCounting ParseStepCounting(string text) => text switch
    {
        "training" => Kanade.Training.Pipeline.StepCounting.TrainingSteps,
        "lightning" => Kanade.Training.Pipeline.StepCounting.LightningOptimizerSteps,
        _ => throw new ArgumentException($"--step-counting '{text}' is not 'training' or 'lightning'."),
    };

    public static IVocoder? LoadVocoder(DirectoryInfo? directory, KanadeTrainingConfig config) =>
        directory is null ? null : Kanade.Vocoder.FromPretrained(config.Model.ModelConfig.VocoderName, directory.FullName);

    /// <summary>The options of <see cref="KanadeTrainer"/> from the shared command-line options.</summary>
    public static FitOptions FitOptions(ParseResult result, Option<FileInfo?> ssl, Option<string?> device, Option<string> counting,
        IVocoder? vocoder, string yaml) => new()
    {
        Device = ParseDevice(result.GetValue(device)),
        SslWeightsPath = result.GetValue(ssl)?.FullName,
        StepCounting = ParseStepCounting(result.GetRequiredValue(counting)),
        Vocoder = vocoder,
        ConfigYaml = yaml,
    };

    /// <summary>Runs <paramref name="body"/>, printing expected failures as one line on stderr (exit code 1).</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception error) when (error is ConfigException or ArgumentException or FileNotFoundException or DirectoryNotFoundException
                                        or InvalidDataException or InvalidOperationException or NotSupportedException or WeightLoadException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return 1;
        }
    }
}
