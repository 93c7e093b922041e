using System.CommandLine;
using Kanade.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Cli.Infrastructure;

/// <summary>
/// <c>--config</c>, <c>--weights</c>, <c>--ssl-weights</c>: the model a command runs. Built once per command; the
/// model is loaded on the CPU, strictly, then moved to the device.
/// </summary>
internal sealed class ModelOptions
{
    /// <summary>The model (or training) config YAML.</summary>
    public Option<string> Config { get; } = new("--config", "-c")
    {
        Description = "Model config YAML (config/model/12hz.yaml...) or a training config; or use --model.",
        HelpName = "YAML",
    };

    /// <summary>A published model by name (Hugging Face hub id, optional @revision), instead of --config/--weights.</summary>
    public Option<string?> Model { get; } = new("--model", "-m")
    {
        Description = "A published model, downloaded on first use into the Hugging Face cache: frothywater/kanade-12.5hz, " +
                      "frothywater/kanade-25hz, frothywater/kanade-25hz-clean (optional @revision), or a folder with config.yaml and model.safetensors.",
        HelpName = "ID",
    };

    /// <summary>The weights file.</summary>
    public Option<string?> Weights { get; }

    /// <summary>The SSL (WavLM) weights, when the main file is a published export without them.</summary>
    public Option<string?> SslWeights { get; } = new("--ssl-weights")
    {
        Description = "WavLM weights (torchaudio .pth, Hugging Face, or safetensors) when --weights is a published export without them.",
        HelpName = "FILE",
    };

    /// <summary>Inference precision (<see cref="PrecisionOption"/>).</summary>
    public Option<string> Precision { get; } = PrecisionOption.Create();

    /// <param name="weightsRequired">False where random weights make sense (bench, info).</param>
    public ModelOptions(bool weightsRequired = true)
    {
        Weights = new Option<string?>("--weights", "-w")
        {
            Description = weightsRequired
                ? "Model weights (.safetensors, .pt/.pth/.ckpt)."
                : "Model weights (.safetensors, .pt/.pth/.ckpt); without it the architecture runs with random weights.",
            HelpName = "FILE",
        };
        this.weightsRequired = weightsRequired;
    }

    readonly bool weightsRequired;

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Model);
        command.Add(Config);
        command.Add(Weights);
        command.Add(SslWeights);
        command.Add(Precision);
    }

    /// <summary>Fails naming the option when a given file is missing.</summary>
    public void CheckFiles(CommandContext context) => Resolve(context);

    /// <summary>
    /// The config, weights and SSL weights files of the model the options name: the files given, or those of
    /// <c>--model</c> (downloaded into the hub cache when missing, with progress on stderr).
    /// </summary>
    public (string Config, string? Weights, string? SslWeights) Resolve(CommandContext context)
    {
        string? id = context.Parse.GetValue(Model), config = context.Parse.GetValue(Config);
        string? weights = context.Parse.GetValue(Weights), ssl = context.Parse.GetValue(SslWeights);
        if (id is not null)
        {
            if (config is not null || weights is not null)
                throw CliException.Usage("--model names a published model: give either --model or --config/--weights, not both.");
            if (resolved is null)
            {
                using var hub = new Kanade.IO.Hub.HubClient { DownloadProgress = Kanade.IO.Hub.DownloadProgressWriter.To(context.Error) };
                var files = Kanade.IO.Hub.PretrainedFiles.ForKanadeModel(id, hub);
                resolved = (files.ConfigPath, files.WeightsPath, ssl ?? files.SslWeightsPath);
            }
            return resolved.Value;
        }
        if (config is null) throw CliException.Usage("give the model: --model ID (a published model) or --config YAML" + (weightsRequired ? " --weights FILE." : "."));
        if (weightsRequired && weights is null) throw CliException.Usage("--weights is required with --config (or name a published model with --model).");
        PathChecks.ExistingFile(config, "--config");
        PathChecks.OptionalFile(weights, "--weights");
        PathChecks.OptionalFile(ssl, "--ssl-weights");
        return (config, weights, ssl);
    }

    (string, string?, string?)? resolved;

    public KanadeModel Load(CommandContext context, Device device)
    {
        var (config, weights, ssl) = Resolve(context);
        context.Trace($"loading {config}" + (weights is null ? " (random weights)" : $" with {weights}") + (ssl is null ? "" : $" + {ssl}"));
        var model = new KanadeModel(ModelConfigLoader.Load(config));
        try
        {
            if (weights is not null) model.LoadWeights(weights, ssl);
            if (device.type != DeviceType.CPU) model.to(device);
            PrecisionOption.Apply(model, context.Get(Precision), device);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
