// Port of Vocos pretrained.py Vocos.from_hparams (MIT): its config.yaml, three class_path/init_args sections.
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Kanade.Vocoders;

/// <summary>
/// A Vocos <c>config.yaml</c>: <c>feature_extractor</c>, <c>backbone</c> and <c>head</c>, each a <c>class_path</c> with
/// <c>init_args</c>. Supported classes: <c>vocos.feature_extractors.MelSpectrogramFeatures</c>,
/// <c>vocos.models.VocosBackbone</c>, <c>vocos.heads.ISTFTHead</c>.
/// </summary>
public sealed record VocosConfig
{
    const string MelFeaturesClass = "vocos.feature_extractors.MelSpectrogramFeatures";
    const string BackboneClass = "vocos.models.VocosBackbone";
    const string HeadClass = "vocos.heads.ISTFTHead";

    /// <summary>The mel feature extractor the vocoder was trained with.</summary>
    public VocosMelFeaturesOptions FeatureExtractor { get; init; } = new();
    /// <summary>The ConvNeXt backbone.</summary>
    public VocosBackboneOptions Backbone { get; init; } = new();
    /// <summary>The iSTFT head.</summary>
    public IstftHeadOptions Head { get; init; } = new();

    /// <summary>The architecture of <c>charactr/vocos-mel-24khz</c> (the config.yaml published with it).</summary>
    public static VocosConfig Mel24kHz { get; } = new()
    {
        FeatureExtractor = new() { SampleRate = 24000, NFft = 1024, HopLength = 256, NMels = 100, Padding = "center" },
        Backbone = new() { InputChannels = 100, Dim = 512, IntermediateDim = 1536, NumLayers = 8 },
        Head = new() { Dim = 512, NFft = 1024, HopLength = 256, Padding = "center" },
    };

    /// <summary>Reads a Vocos <c>config.yaml</c>.</summary>
    public static VocosConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Vocos config '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the text of a Vocos <c>config.yaml</c>; <paramref name="source"/> names it in errors.</summary>
    public static VocosConfig Parse(string yaml, string source = "config.yaml")
    {
        Dictionary<object, object?>? root;
        try
        {
            root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(yaml);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"Vocos config '{source}' is not valid YAML: {e.Message}", e);
        }
        if (root is null) throw new InvalidDataException($"Vocos config '{source}' is empty.");

        var features = Section(root, source, "feature_extractor", MelFeaturesClass);
        var backbone = Section(root, source, "backbone", BackboneClass);
        var head = Section(root, source, "head", HeadClass);
        var config = new VocosConfig
        {
            FeatureExtractor = new()
            {
                SampleRate = features.Int("sample_rate", 24000),
                NFft = features.Int("n_fft", 1024),
                HopLength = features.Int("hop_length", 256),
                NMels = features.Int("n_mels", 100),
                Padding = features.String("padding", "center"),
            },
            Backbone = new()
            {
                InputChannels = backbone.Int("input_channels"),
                Dim = backbone.Int("dim"),
                IntermediateDim = backbone.Int("intermediate_dim"),
                NumLayers = backbone.Int("num_layers"),
                LayerScaleInitValue = backbone.NullableDouble("layer_scale_init_value"),
                AdanormNumEmbeddings = backbone.NullableInt("adanorm_num_embeddings"),
            },
            Head = new()
            {
                Dim = head.Int("dim"),
                NFft = head.Int("n_fft"),
                HopLength = head.Int("hop_length"),
                Padding = head.String("padding", "same"),
            },
        };
        features.RejectUnread();
        backbone.RejectUnread();
        head.RejectUnread();
        return config;
    }

    static InitArgs Section(Dictionary<object, object?> root, string source, string key, string supportedClass)
    {
        if (!root.TryGetValue(key, out var value) || value is not Dictionary<object, object?> section)
            throw new InvalidDataException($"Vocos config '{source}': no '{key}' section (class_path + init_args).");
        string? classPath = section.TryGetValue("class_path", out var c) ? c as string : null;
        if (classPath != supportedClass)
            throw new NotSupportedException(
                $"Vocos config '{source}': {key}.class_path is '{classPath}'; supported: '{supportedClass}'.");
        var args = section.TryGetValue("init_args", out var a) ? a as Dictionary<object, object?> : null;
        return new InitArgs(source, key, args ?? []);
    }

    /// <summary>Typed reads of one section's init_args, remembering which keys were read.</summary>
    sealed class InitArgs(string source, string section, Dictionary<object, object?> values)
    {
        readonly HashSet<string> read = [];

        public int Int(string key, int? fallback = null) =>
            NullableInt(key) ?? fallback ?? throw Error(key, "is required (an integer)");

        public int? NullableInt(string key) =>
            Scalar(key) is not { } text ? null
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw Error(key, $"must be an integer; got '{text}'");

        public double? NullableDouble(string key) =>
            Scalar(key) is not { } text ? null
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw Error(key, $"must be a number; got '{text}'");

        public string String(string key, string fallback) => Scalar(key) ?? fallback;

        public void RejectUnread()
        {
            var unknown = values.Keys.Select(k => k.ToString()!).Where(k => !read.Contains(k)).ToList();
            if (unknown.Count > 0)
                throw new InvalidDataException(
                    $"Vocos config '{source}': unknown {section}.init_args {string.Join(", ", unknown.Select(k => $"'{k}'"))}; "
                    + $"accepted: {string.Join(", ", read)}.");
        }

        string? Scalar(string key)
        {
            read.Add(key);
            if (!values.TryGetValue(key, out var value) || value is null) return null;
            if (value is not string text) throw Error(key, "must be a single value");
            return text is "null" or "~" or "" ? null : text;
        }

        InvalidDataException Error(string key, string problem) =>
            new($"Vocos config '{source}': {section}.init_args.{key} {problem}.");
    }
}
