// Port of kanade-tokenizer script/export_safetensors.py (MIT).
using System.CommandLine;
using Kanade.Cli.Infrastructure;
using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary>
/// <c>kanade export-safetensors CKPT</c>: a training checkpoint (Lightning .ckpt, .pt, or safetensors) to the
/// inference weights the published models ship: <see cref="KanadeModel.WeightsToSave"/>, loaded strictly first.
/// </summary>
internal static class ExportSafetensorsCommand
{

    public static Command Create(CliEnvironment environment)
    {
        var checkpoint = new Argument<string>("CKPT") { Description = "Lightning .ckpt (its model.* tensors), a .pt/.pth state dict, or .safetensors." };
        var config = new Option<string>("--config", "-c") { Description = "Model config or training config YAML.", Required = true, HelpName = "YAML" };
        var include = new Option<string[]>("--include-modules", "--include_modules")
        {
            Description = $"Modules left out by default to keep: {string.Join(", ", KanadeModel.SeparatelySavedModules)}.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [],
        };
        include.AcceptOnlyFromAmong([.. KanadeModel.SeparatelySavedModules]);
        var output = new Option<string?>("--output", "-o") { Description = "Output .safetensors (default: CKPT with .safetensors extension).", HelpName = "OUT" };
        var command = new Command("export-safetensors", "Export inference weights from a training checkpoint to safetensors.") { checkpoint, config, include, output };
        CommandRunner.SetBody(command, environment, context =>
        {
            string source = PathChecks.ExistingFile(context.Get(checkpoint), "CKPT");
            string configPath = PathChecks.ExistingFile(context.Get(config), "--config");
            var modules = context.Get(include);
            string target = context.Parse.GetValue(output) ?? Path.ChangeExtension(source, ".safetensors");
            PathChecks.Extension(target, "--output", ".safetensors");
            if (Path.GetFullPath(target) == Path.GetFullPath(source)) throw CliException.Usage($"--output '{target}' would overwrite the checkpoint.");

            using var model = new KanadeModel(ModelConfigLoader.Load(configPath));
            if (model.Config.UseConvDownsample && model.Config.DownsampleFactor > 1 && modules.Contains("feature_decoder") && !modules.Contains("conv_upsample"))
                throw CliException.Usage("--include-modules feature_decoder needs conv_upsample as well when the model uses conv downsampling.");
            var state = Read(source);
            try
            {
                StateDictLoader.Load(model, state, new StateDictLoadOptions
                {
                    SourceName = source,
                    // What the export leaves out may be absent from the checkpoint too, unless asked for.
                    AbsentPrefixes = [.. KanadeModel.SeparatelySavedModules.Where(m => !modules.Contains(m)).Select(m => m + ".")],
                });
            }
            finally
            {
                foreach (var tensor in state.Values) tensor.Dispose();
            }
            var weights = model.WeightsToSave(modules);
            PathChecks.EnsureParent(target);
            SafeTensors.Save(target, weights);
            context.Out.WriteLine($"{target}: {weights.Count} tensors, {weights.Values.Sum(t => t.numel()):N0} parameters");
            if (context.Verbose) foreach (string name in weights.Keys) context.Out.WriteLine(" - " + name);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The model's tensors of any checkpoint training reads: one written by <c>kanade fit</c>, a Lightning <c>.ckpt</c>
    /// (its <c>model.</c> tensors), or a plain state dict.
    /// </summary>
    static Dictionary<string, Tensor> Read(string path)
    {
        var weights = Kanade.Training.Pipeline.PipelineWeights.Read(path);
        foreach (var tensor in weights.Discriminator.Values) tensor.Dispose();
        return weights.Model.ToDictionary(e => e.Key, e => e.Value);
    }
}
