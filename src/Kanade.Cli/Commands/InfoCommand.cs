using System.CommandLine;
using System.Globalization;
using Kanade.Cli.Infrastructure;
using Kanade.IO;
using TorchSharp;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade info</c>: what a config builds (parameters per module, rates, vocabulary, bit rate, SSL layers, vocoder), and whether weights fit it.</summary>
internal static class InfoCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var model = new ModelOptions(weightsRequired: false);
        var command = new Command("info", "Describe a model config: parameters per module, token rate, vocabulary, bit rate, SSL layers, vocoder; check weights against it.");
        model.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            model.CheckFiles(context);
            string configPath = model.Resolve(context).Config;
            using var kanade = new KanadeModel(ModelConfigLoader.Load(configPath));
            var c = kanade.Config;
            var ssl = kanade.Definition.SslFeatureExtractor;
            var levels = kanade.Definition.LocalQuantizer.Levels;
            var o = context.Out;
            o.WriteLine($"config:          {configPath}");
            o.WriteLine(F($"sample rate:     {c.SampleRate} Hz"));
            o.WriteLine(F($"token rate:      {kanade.TokenRate:G} tokens/s (downsample x{c.DownsampleFactor})"));
            o.WriteLine(F($"vocabulary:      {kanade.VocabularySize} (FSQ levels {string.Join(",", levels)})"));
            o.WriteLine(F($"bit rate:        {kanade.TokenRate * Math.Log2(kanade.VocabularySize):F1} bit/s"));
            o.WriteLine(F($"content dim:     {kanade.ContentDim}; global dim: {kanade.GlobalDim}"));
            o.WriteLine(F($"SSL model:       {ssl.ModelName} ({kanade.SslFeatureExtractor.SslSampleRate} Hz, {kanade.SslFeatureExtractor.OutputLayers} layers run)"));
            o.WriteLine($"SSL layers:      local [{string.Join(", ", c.LocalSslLayers)}], global [{string.Join(", ", c.GlobalSslLayers)}]");
            o.WriteLine(F($"mel:             {c.NMels} bins, n_fft {c.NFft}, hop {c.HopLength}, {c.Padding} padding{(c.BigvganStyleMel ? ", BigVGAN style" : "")}"));
            o.WriteLine($"vocoder:         {c.VocoderName}");
            o.WriteLine("parameters:");
            long total = 0, exported = 0;
            foreach (var (name, module) in kanade.named_children())
            {
                long count = module.parameters().Sum(p => p.numel());
                total += count;
                if (!KanadeModel.SeparatelySavedModules.Contains(name)) exported += count;
                o.WriteLine(F($"  {name,-24} {count,14:N0}"));
            }
            o.WriteLine(F($"  {"total",-24} {total,14:N0}"));
            o.WriteLine(F($"  {"exported",-24} {exported,14:N0}  (without {string.Join(", ", KanadeModel.SeparatelySavedModules)})"));
            if (model.Resolve(context) is { Weights: { } weights } files) o.WriteLine("weights:         " + CheckWeights(kanade, weights, files.SslWeights));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Loads the weights strictly; a published export without SSL weights is fine when none are given.</summary>
    static string CheckWeights(KanadeModel kanade, string weights, string? sslWeights)
    {
        if (sslWeights is not null)
        {
            var full = kanade.LoadWeights(weights, sslWeights);
            return $"'{weights}' + '{sslWeights}' load strictly ({full.Loaded.Count} tensors)";
        }
        var state = WeightFile.Load(weights);
        try
        {
            bool hasSsl = state.Keys.Any(k => k.StartsWith(Kanade.Ssl.SslWeights.KanadePrefix, StringComparison.Ordinal));
            var report = StateDictLoader.Load(kanade, state, new StateDictLoadOptions
            {
                SourceName = weights,
                AbsentPrefixes = [.. KanadeModel.SeparatelySavedModules.Select(m => m + ".")],
            });
            return $"'{weights}' loads strictly ({report.Loaded.Count} tensors" +
                   (hasSsl ? ", SSL included)" : "; no SSL weights: pass --ssl-weights to run it)");
        }
        finally
        {
            foreach (var tensor in state.Values) tensor.Dispose();
        }
    }

    static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
