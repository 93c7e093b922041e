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
        Description = "Model config YAML (config/model/12hz.yaml...) or a training config.",
        Required = true,
        HelpName = "YAML",
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
            Required = weightsRequired,
            HelpName = "FILE",
        };
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Config);
        command.Add(Weights);
        command.Add(SslWeights);
        command.Add(Precision);
    }

    /// <summary>Fails naming the option when a given file is missing.</summary>
    public void CheckFiles(CommandContext context)
    {
        PathChecks.ExistingFile(context.Get(Config), "--config");
        PathChecks.OptionalFile(context.Parse.GetValue(Weights), "--weights");
        PathChecks.OptionalFile(context.Parse.GetValue(SslWeights), "--ssl-weights");
    }

    /// <summary>Loads the model (random weights when none were given and that is allowed) and moves it to <paramref name="device"/>.</summary>
    public KanadeModel Load(CommandContext context, Device device)
    {
        CheckFiles(context);
        string config = context.Get(Config);
        string? weights = context.Parse.GetValue(Weights);
        string? ssl = context.Parse.GetValue(SslWeights);
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
