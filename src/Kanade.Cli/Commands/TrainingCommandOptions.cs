// What the training commands share: the config with its overrides, device, SSL weights, vocoder.
using System.CommandLine;
using Kanade.Cli.Infrastructure;
using Kanade.Training.Config;
using Kanade.Training.Fit;
using Kanade.Training.Pipeline;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary>Options common to <c>fit</c>, <c>validate</c>, <c>test</c> and <c>predict</c>, and the code that applies them.</summary>
internal sealed class TrainingCommandOptions
{
    public Option<string> Config { get; } = new("--config", "-c")
    {
        Description = "Training YAML in the reference's LightningCLI format (config/train/*.yaml). Any key can be overridden after it with " +
                      "--dotted.key value (init_args may be left out), e.g. --trainer.max_steps 1000 --data.train_config.csv_path train.csv; " +
                      "--ckpt_path PATH (or last) resumes fit and selects the weights of validate, test and predict.",
        HelpName = "FILE",
        Required = true,
    };

    public Option<string?> SslWeights { get; } = new("--ssl-weights")
    {
        Description = "WavLM weights for the frozen SSL model (torchaudio .pth, Hugging Face, or safetensors), unless the checkpoint holds them.",
        HelpName = "FILE",
    };

    public Option<string?> Device { get; } = new("--device", "-d")
    {
        Description = "cpu, cuda or cuda:N; default: trainer.accelerator (auto picks CUDA when available).",
        HelpName = "cpu|cuda|cuda:N",
    };

    public Option<string?> VocoderName { get; } = new("--vocoder")
    {
        Description = "vocos or hift (default: the model config's vocoder_name).",
        HelpName = "NAME",
    };

    public Option<string?> VocoderConfig { get; } = new("--vocoder-config")
    {
        Description = "Vocoder config (Vocos config.yaml, HiFT JSON); default: the published architecture.",
        HelpName = "FILE",
    };

    public Option<string?> VocoderWeights { get; } = new("--vocoder-weights")
    {
        Description = "Vocoder weights or a folder of the published files: validation audio in TensorBoard, WAV output of predict.",
        HelpName = "FILE|DIR",
    };

    public Option<string> StepCounting { get; } = new("--step-counting")
    {
        Description = "What a step is for max_steps, discriminator_start_step and checkpoints: 'training' (one per generator update) or " +
                      "'lightning' (every optimizer update, as Lightning's global_step: two per GAN step).",
        DefaultValueFactory = _ => "training",
    };

    public TrainingCommandOptions() => StepCounting.AcceptOnlyFromAmong("training", "lightning");

    /// <summary>Adds the options; unknown <c>--dotted.key value</c> tokens pass through as config overrides.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Config, SslWeights, Device, VocoderName, VocoderConfig, VocoderWeights, StepCounting })
            command.Add(option);
        command.TreatUnmatchedTokensAsErrors = false;
    }

    /// <summary>The config with the command line's overrides, and its text as the run uses it.</summary>
    public (KanadeTrainingConfig Config, string Yaml) Load(CommandContext context)
    {
        string path = PathChecks.ExistingFile(context.Get(Config), "--config");
        return TrainingConfigLoader.LoadEffective(path, ConfigOverrides.Parse(context.Parse.UnmatchedTokens));
    }

    public Device? ResolveDevice(CommandContext context) => context.Get(Device) is { } name ? DeviceSpec.Resolve(name, fewShapes: true) : null;

    public StepCounting Counting(CommandContext context) =>
        context.Get(StepCounting) == "lightning" ? Kanade.Training.Pipeline.StepCounting.LightningOptimizerSteps : Kanade.Training.Pipeline.StepCounting.TrainingSteps;

    /// <summary>The vocoder of <c>--vocoder-weights</c> (null when not given), checked against the model's mel bins.</summary>
    public IVocoder? LoadVocoder(CommandContext context, KanadeTrainingConfig config)
    {
        if (context.Get(VocoderWeights) is not { } weights) return null;
        if (!Directory.Exists(weights)) PathChecks.ExistingFile(weights, "--vocoder-weights");
        return VocoderOptions.Open(context.Get(VocoderName) ?? config.Model.ModelConfig.VocoderName, context.Get(VocoderConfig), weights,
                                   config.Model.ModelConfig.NMels, "model_config.n_mels");
    }

    /// <summary>The trainer's options; progress goes to stderr.</summary>
    public FitOptions FitOptions(CommandContext context, IVocoder? vocoder, string yaml) => new()
    {
        Device = ResolveDevice(context),
        SslWeightsPath = context.Get(SslWeights) is { } ssl ? PathChecks.ExistingFile(ssl, "--ssl-weights") : null,
        StepCounting = Counting(context),
        Vocoder = vocoder,
        ConfigYaml = yaml,
        Progress = context.Error,
        Cancellation = context.Cancellation,
    };
}
