// Reads a Kanade model definition from the reference's YAML: a model config (model: KanadeModel) or the model part
// of a training config (model: KanadePipeline, whose init_args hold the components beside model_config).
using Kanade.Modules;
using Kanade.Ssl;
using YamlDotNet.RepresentationModel;

namespace Kanade.IO;

/// <summary>Loads <see cref="KanadeModelDefinition"/>s from model configs and training configs, strictly.</summary>
public static class ModelConfigLoader
{
    /// <summary>Components both model kinds take; the value is required when true.</summary>
    static readonly (string Key, bool Required)[] Components =
    [
        ("ssl_feature_extractor", true), ("local_encoder", true), ("local_quantizer", true), ("feature_decoder", false),
        ("global_encoder", true), ("mel_prenet", true), ("mel_decoder", true), ("mel_postnet", true),
    ];

    /// <summary>Values accepted by the string settings that the reference compares against fixed names.</summary>
    static readonly Dictionary<string, string[]> Choices = new(StringComparer.Ordinal)
    {
        ["padding"] = ["center", "same"],
        ["vocoder_name"] = ["vocos", "hift"],
        ["local_interpolation_mode"] = ["linear", "nearest"],
        ["mel_interpolation_mode"] = ["linear", "nearest"],
        ["extractor_mode"] = ["group_norm", "layer_norm"],
    };

    /// <summary>
    /// Loads <paramref name="path"/>: <c>config/model/*.yaml</c> (model: KanadeModel) or a training config such as
    /// <c>config/train/*.yaml</c> (model: KanadePipeline; only its model part is read here).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ConfigException">Unknown or missing key, wrong type, unexpected class_path or value; the message names file, line and key path.</exception>
    public static KanadeModelDefinition Load(string path) => Read(ConfigDocument.Load(path));

    /// <summary>Reads the model definition of a parsed document (see <see cref="Load"/>).</summary>
    /// <exception cref="ConfigException">As <see cref="Load"/>.</exception>
    public static KanadeModelDefinition Read(ConfigDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var model = document.Require("model");
        var probe = model as YamlMappingNode;
        var classPath = probe is not null && probe.Children.TryGetValue(new YamlScalarNode("class_path"), out var c) ? (c as YamlScalarNode)?.Value : null;
        bool isPipeline = classPath is not null && (classPath == ReferenceClassPaths.KanadePipeline || classPath == "KanadePipeline");
        if (!isPipeline) document.CheckKeys("", ["model"], ["model"]);

        var initArgs = document.ClassArguments(model, "model", ReferenceClassPaths.KanadeModel, ReferenceClassPaths.KanadePipeline)
            ?? throw ConfigBinder.Error(document.Source, "model", model, "needs init_args with the model's components");
        string args = "model.init_args";
        string configKey = isPipeline ? "model_config" : "config";
        string[] allowed = [configKey, .. Components.Select(k => k.Key), .. isPipeline ? new[] { "pipeline_config", "discriminator" } : []];
        string[] required = [configKey, .. Components.Where(k => k.Required || isPipeline).Select(k => k.Key), .. isPipeline ? new[] { "pipeline_config" } : []];
        document.CheckKeys(args, allowed, required);

        var definition = new KanadeModelDefinition
        {
            Config = Checked(document, document.Bind<KanadeModelConfig>($"{args}.{configKey}"), $"{args}.{configKey}"),
            SslFeatureExtractor = Component<SslFeatureExtractorOptions>(document, args, "ssl_feature_extractor", ReferenceClassPaths.SslFeatureExtractor),
            LocalEncoder = Component<TransformerOptions>(document, args, "local_encoder", ReferenceClassPaths.Transformer),
            LocalQuantizer = Component<FiniteScalarQuantizerOptions>(document, args, "local_quantizer", ReferenceClassPaths.FiniteScalarQuantizer,
                "input_dim", "output_dim", "levels"),
            FeatureDecoder = ConfigBinder.IsNull(document.Find($"{args}.feature_decoder") ?? new YamlScalarNode("null"))
                ? null
                : Component<TransformerOptions>(document, args, "feature_decoder", ReferenceClassPaths.Transformer),
            GlobalEncoder = Component<GlobalEncoderOptions>(document, args, "global_encoder", ReferenceClassPaths.GlobalEncoder,
                "input_channels", "output_channels", "dim", "intermediate_dim", "num_layers"),
            MelPrenet = Component<TransformerOptions>(document, args, "mel_prenet", ReferenceClassPaths.Transformer),
            MelDecoder = Component<TransformerOptions>(document, args, "mel_decoder", ReferenceClassPaths.Transformer),
            MelPostnet = Component<PostNetOptions>(document, args, "mel_postnet", ReferenceClassPaths.PostNet),
            SourcePath = document.Source,
        };
        if (definition.SslFeatureExtractor.Params is { } architecture)
            Checked(document, architecture, $"{args}.ssl_feature_extractor.init_args.params");
        return definition;
    }

    static T Component<T>(ConfigDocument document, string args, string key, string classPath, params string[] requiredArgs) where T : new()
    {
        string path = $"{args}.{key}";
        var value = document.BindClass<T>(document.Require(path), path, requiredArgs, classPath);
        return Checked(document, value, path + ".init_args");
    }

    /// <summary>Refuses string settings outside the names the reference accepts, pointing at the key.</summary>
    static T Checked<T>(ConfigDocument document, T value, string path)
    {
        foreach (var property in typeof(T).GetProperties())
        {
            string key = ConfigBinder.KeyOf(property);
            if (property.PropertyType != typeof(string) || !Choices.TryGetValue(key, out var accepted)) continue;
            string? text = (string?)property.GetValue(value);
            if (text is not null && !accepted.Contains(text))
                throw ConfigBinder.Error(document.Source, $"{path}.{key}", document.Find($"{path}.{key}"),
                    $"'{text}' is not one of {string.Join(", ", accepted)}");
        }
        return value;
    }
}
