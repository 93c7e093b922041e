// Reads a kanade-tokenizer training YAML (the LightningCLI `fit --config` format) into KanadeTrainingConfig, strictly.
using Kanade.IO;
using Kanade.Training.Gan;
using YamlDotNet.RepresentationModel;

namespace Kanade.Training.Config;

/// <summary>
/// Loads training configs: <c>seed_everything</c>, <c>trainer</c> (callbacks by <c>class_path</c>), <c>model</c>
/// (a <c>KanadePipeline</c>: the model's components, <c>pipeline_config</c>, optional <c>discriminator</c>),
/// <c>data</c> (an <c>AudioDataModule</c>) and LightningCLI's top-level <c>ckpt_path</c>. An unknown key, a missing
/// required key or a value of the wrong type is a <see cref="ConfigException"/> naming the file, line and key path
/// (or the command-line option that set it); the sections' range checks run afterwards.
/// </summary>
public static class TrainingConfigLoader
{
    const string CommandLine = "command line";
    static readonly string[] TopLevelKeys = ["seed_everything", "trainer", "model", "data", "ckpt_path"];

    /// <summary>Reads <paramref name="path"/> and applies <paramref name="overrides"/> (jsonargparse-style, see <see cref="ConfigOverrides"/>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ConfigException">The YAML does not fit the schema, or a value is out of range.</exception>
    public static KanadeTrainingConfig Load(string path, ConfigOverrides? overrides = null) =>
        Read(ConfigDocument.Load(path), overrides);

    /// <summary>As <see cref="Load(string, ConfigOverrides?)"/>, with overrides given as command-line tokens (<c>--trainer.max_steps</c>, <c>1000</c>, ...).</summary>
    /// <exception cref="ArgumentException">A token is not part of a <c>--key value</c> pair.</exception>
    public static KanadeTrainingConfig Load(string path, IEnumerable<string> overrideArguments) =>
        Load(path, ConfigOverrides.Parse(overrideArguments));

    /// <summary>
    /// As <see cref="Load(string, ConfigOverrides?)"/>, also returning the YAML with the overrides written in (what the run
    /// used; <c>kanade fit</c> keeps it in the run folder and in checkpoints, as LightningCLI saves its config.yaml).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ConfigException">The YAML does not fit the schema, or a value is out of range.</exception>
    public static (KanadeTrainingConfig Config, string EffectiveYaml) LoadEffective(string path, ConfigOverrides? overrides = null)
    {
        var document = ConfigDocument.Load(path);
        var config = Read(document, overrides);
        var text = new StringWriter();
        new YamlStream(new YamlDocument(document.Root)).Save(text, assignAnchors: false);
        return (config, text.ToString().TrimEnd().TrimEnd('.').TrimEnd() + "\n");
    }

    /// <summary>Binds a parsed document (after writing <paramref name="overrides"/> into it).</summary>
    /// <exception cref="ConfigException">As <see cref="Load(string, ConfigOverrides?)"/>.</exception>
    public static KanadeTrainingConfig Read(ConfigDocument document, ConfigOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var applied = (overrides ?? ConfigOverrides.None).ApplyTo(document);
        try
        {
            var config = Bind(document);
            try
            {
                config.Validate();
            }
            catch (ArgumentException e)
            {
                throw new ConfigException(document.Source, "", 0, 0, e.Message, e);
            }
            return config;
        }
        catch (ConfigException e) when (OverrideBehind(e, applied) is { } option)
        {
            throw new ConfigException(CommandLine, option, 0, 0, e.Problem, e);
        }
    }

    // The override whose key path leads to the failing key, if any.
    static string? OverrideBehind(ConfigException error, IReadOnlyList<(string KeyPath, string Option)> applied)
    {
        foreach (var (keyPath, option) in applied)
            if (error.KeyPath == keyPath || error.KeyPath.StartsWith(keyPath + ".", StringComparison.Ordinal)
                || error.KeyPath.StartsWith(keyPath + "[", StringComparison.Ordinal))
                return option;
        return null;
    }

    static KanadeTrainingConfig Bind(ConfigDocument document)
    {
        document.CheckKeys("", TopLevelKeys, ["model"]);
        var definition = ModelConfigLoader.Read(document);
        const string args = "model.init_args";
        var pipeline = document.Bind<KanadePipelineConfig>($"{args}.pipeline_config");
        SpectrogramDiscriminatorOptions? discriminator = null;
        if (document.Find($"{args}.discriminator") is { } node && !ConfigBinder.IsNull(node))
            discriminator = document.BindClass<SpectrogramDiscriminatorOptions>(node, $"{args}.discriminator", ["frequency_bins"],
                ReferenceClassPaths.SpectrogramDiscriminator);

        return new KanadeTrainingConfig
        {
            SeedEverything = Seed(document),
            Trainer = Trainer(document),
            Model = new KanadePipelineDefinition
            {
                ModelConfig = definition.Config,
                PipelineConfig = pipeline,
                SslFeatureExtractor = definition.SslFeatureExtractor,
                LocalEncoder = definition.LocalEncoder,
                LocalQuantizer = definition.LocalQuantizer,
                FeatureDecoder = definition.FeatureDecoder,
                GlobalEncoder = definition.GlobalEncoder,
                MelPrenet = definition.MelPrenet,
                MelDecoder = definition.MelDecoder,
                MelPostnet = definition.MelPostnet,
                Discriminator = discriminator,
            },
            Data = Data(document),
            CkptPath = document.BindOrDefault<string?>("ckpt_path", null),
            SourcePath = document.Source,
        };
    }

    // Lightning: an integer seeds everything; true picks a seed; false or null seeds nothing (here: a seed is picked and recorded).
    static int? Seed(ConfigDocument document)
    {
        if (document.Find("seed_everything") is not { } node || ConfigBinder.IsNull(node)) return null;
        var value = ConfigBinder.Bind<object?>(node, "seed_everything", document.Source);
        return value switch
        {
            bool => null,
            long seed when seed is >= int.MinValue and <= uint.MaxValue => unchecked((int)seed),
            _ => throw ConfigBinder.Error(document.Source, "seed_everything", node, $"must be an integer seed, true or false, found '{value}'"),
        };
    }

    static TrainerConfig Trainer(ConfigDocument document)
    {
        if (document.Find("trainer") is not { } node || ConfigBinder.IsNull(node)) return new TrainerConfig();
        if (node is not YamlMappingNode mapping)
            throw ConfigBinder.Error(document.Source, "trainer", node, "must be a mapping of Trainer settings");
        var withoutCallbacks = new YamlMappingNode();
        YamlNode? callbacks = null;
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: "callbacks" }) callbacks = value;
            else withoutCallbacks.Children.Add(key, value);
        }
        var trainer = ConfigBinder.Bind<TrainerConfig>(withoutCallbacks, "trainer", document.Source);
        return callbacks is null || ConfigBinder.IsNull(callbacks) ? trainer : trainer with { Callbacks = Callbacks(document, callbacks) };
    }

    static List<TrainerCallback> Callbacks(ConfigDocument document, YamlNode node)
    {
        if (node is not YamlSequenceNode sequence)
            throw ConfigBinder.Error(document.Source, "trainer.callbacks", node, "must be a list of class_path/init_args entries");
        var result = new List<TrainerCallback>();
        int index = 0;
        foreach (var entry in sequence.Children)
        {
            string path = $"trainer.callbacks[{index++}]";
            var initArgs = document.ClassArguments(entry, path, [.. TrainerCallback.ByClassPath.Keys]);
            string classPath = ((YamlScalarNode)((YamlMappingNode)entry).Children[new YamlScalarNode("class_path")]).Value!;
            var type = TrainerCallback.ByClassPath.First(c => c.Key == classPath || c.Key.EndsWith("." + classPath, StringComparison.Ordinal)).Value;
            result.Add(initArgs is null
                ? (TrainerCallback)Activator.CreateInstance(type)!
                : (TrainerCallback)ConfigBinder.Bind(type, initArgs, path + ".init_args", document.Source)!);
        }
        return result;
    }

    static AudioDataModuleConfig? Data(ConfigDocument document)
    {
        if (document.Find("data") is not { } node || ConfigBinder.IsNull(node)) return null;
        var initArgs = document.ClassArguments(node, "data", ReferenceClassPaths.AudioDataModule)
            ?? throw ConfigBinder.Error(document.Source, "data", node, "needs init_args with at least train_config");
        return ConfigBinder.Bind<AudioDataModuleConfig>(initArgs, "data.init_args", document.Source);
    }
}
