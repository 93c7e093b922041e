// The key-value metadata of Kanade token Parquet files.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet;

/// <summary>
/// What a token Parquet file says about the model that made it, stored as the file's key-value metadata (keys in
/// <see cref="Keys"/>): which model (config name, config and weights SHA-256), how to read the tokens (rate,
/// vocabulary, FSQ levels), the global embedding's width, and the Kanade.MLNet version that wrote it.
/// </summary>
public sealed record KanadeParquetMetadata
{
    /// <summary>The model config's name (e.g. <c>12hz</c>).</summary>
    public string ModelConfig { get; init; } = "";
    /// <summary>SHA-256 (hex) of the model config file, or empty when unknown.</summary>
    public string ModelConfigSha256 { get; init; } = "";
    /// <summary>SHA-256 (hex) of the weights file, or empty when unknown.</summary>
    public string WeightsSha256 { get; init; } = "";
    /// <summary>Tokens per second of audio.</summary>
    public double TokenRate { get; init; }
    /// <summary>Number of distinct tokens.</summary>
    public int VocabularySize { get; init; }
    /// <summary>FSQ levels (their product is <see cref="VocabularySize"/>).</summary>
    public IReadOnlyList<int> FsqLevels { get; init; } = [];
    /// <summary>Width of the global embedding.</summary>
    public int GlobalDim { get; init; }
    /// <summary>Kanade.MLNet version that wrote the file.</summary>
    public string ProjectVersion { get; init; } = DefaultProjectVersion;

    /// <summary>The file metadata keys.</summary>
    public static class Keys
    {
        /// <summary>Always <c>kanade-tokens</c>.</summary>
        public const string Format = "kanade.format";
        /// <summary>Schema version, <c>1</c>.</summary>
        public const string FormatVersion = "kanade.format_version";
        /// <summary><see cref="KanadeParquetMetadata.ModelConfig"/>.</summary>
        public const string ModelConfig = "kanade.model_config";
        /// <summary><see cref="KanadeParquetMetadata.ModelConfigSha256"/>.</summary>
        public const string ModelConfigSha256 = "kanade.model_config_sha256";
        /// <summary><see cref="KanadeParquetMetadata.WeightsSha256"/>.</summary>
        public const string WeightsSha256 = "kanade.weights_sha256";
        /// <summary><see cref="KanadeParquetMetadata.TokenRate"/>, invariant-culture decimal.</summary>
        public const string TokenRate = "kanade.token_rate";
        /// <summary><see cref="KanadeParquetMetadata.VocabularySize"/>.</summary>
        public const string VocabularySize = "kanade.vocabulary_size";
        /// <summary><see cref="KanadeParquetMetadata.FsqLevels"/>, comma-separated.</summary>
        public const string FsqLevels = "kanade.fsq_levels";
        /// <summary><see cref="KanadeParquetMetadata.GlobalDim"/>.</summary>
        public const string GlobalDim = "kanade.global_dim";
        /// <summary><see cref="KanadeParquetMetadata.ProjectVersion"/>.</summary>
        public const string ProjectVersion = "kanade.version";
    }

    internal const string FormatName = "kanade-tokens";
    internal const string CurrentFormatVersion = "1";
    internal static string DefaultProjectVersion => typeof(KanadeParquetMetadata).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The metadata of <paramref name="model"/>, with the SHA-256 of its files when <paramref name="reference"/> (or the one it was loaded with) is known.</summary>
    public static KanadeParquetMetadata FromModel(KanadeModel model, KanadeModelReference? reference = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        reference ??= KanadeModelReference.Of(model);
        // A known reference has hashed the config already; only a model without one has its file read here.
        var (name, sha) = reference is null
            ? KanadeEncodingTransformer.ConfigIdentity(model)
            : (Path.GetFileNameWithoutExtension(reference.ConfigPath), reference.ConfigSha256);
        return new KanadeParquetMetadata
        {
            ModelConfig = name,
            ModelConfigSha256 = sha,
            WeightsSha256 = reference?.WeightsSha256 ?? "",
            TokenRate = model.TokenRate,
            VocabularySize = checked((int)model.VocabularySize),
            FsqLevels = [.. model.Definition.LocalQuantizer.Levels],
            GlobalDim = model.GlobalDim,
        };
    }

    /// <summary>The metadata KanadeEncode's annotations carry on a token column (and the global embedding's width).</summary>
    internal static KanadeParquetMetadata FromAnnotations(DataViewSchema.Column tokens, DataViewSchema.Column? global)
    {
        var annotations = tokens.Annotations;
        T Get<T>(string kind, T fallback)
        {
            if (annotations.Schema.GetColumnOrNull(kind) is null) return fallback;
            T value = default!;
            annotations.GetValue(kind, ref value);
            return value;
        }
        var levels = Get(KanadeAnnotations.FsqLevels, default(VBuffer<int>));
        return new KanadeParquetMetadata
        {
            ModelConfig = Get(KanadeAnnotations.ModelConfig, ReadOnlyMemory<char>.Empty).ToString(),
            ModelConfigSha256 = Get(KanadeAnnotations.ModelConfigSha256, ReadOnlyMemory<char>.Empty).ToString(),
            TokenRate = Get(KanadeAnnotations.TokenRate, 0.0),
            VocabularySize = Get(KanadeAnnotations.VocabularySize, 0),
            FsqLevels = levels.Length == 0 ? [] : levels.DenseValues().ToArray(),
            GlobalDim = global?.Type is VectorDataViewType { IsKnownSize: true } vector ? vector.Size : 0,
        };
    }

    /// <summary>The key-value pairs written to a file.</summary>
    public IReadOnlyDictionary<string, string> ToKeyValues() => new Dictionary<string, string>
    {
        [Keys.Format] = FormatName,
        [Keys.FormatVersion] = CurrentFormatVersion,
        [Keys.ModelConfig] = ModelConfig,
        [Keys.ModelConfigSha256] = ModelConfigSha256,
        [Keys.WeightsSha256] = WeightsSha256,
        [Keys.TokenRate] = TokenRate.ToString("R", CultureInfo.InvariantCulture),
        [Keys.VocabularySize] = VocabularySize.ToString(CultureInfo.InvariantCulture),
        [Keys.FsqLevels] = string.Join(",", FsqLevels.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        [Keys.GlobalDim] = GlobalDim.ToString(CultureInfo.InvariantCulture),
        [Keys.ProjectVersion] = ProjectVersion,
    };

    /// <summary>Reads the pairs written by <see cref="ToKeyValues"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a Kanade token file or a value is malformed.</exception>
    public static KanadeParquetMetadata FromKeyValues(IReadOnlyDictionary<string, string> values, string file)
    {
        if (!values.TryGetValue(Keys.Format, out var format) || format != FormatName)
            throw new InvalidDataException($"'{file}' is not a Kanade token file: its metadata has no '{Keys.Format}' = '{FormatName}'.");
        string Get(string key) => values.TryGetValue(key, out var v) ? v : "";
        int Int(string key) => int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new InvalidDataException($"'{file}': metadata '{key}' = '{Get(key)}' is not an integer.");
        return new KanadeParquetMetadata
        {
            ModelConfig = Get(Keys.ModelConfig),
            ModelConfigSha256 = Get(Keys.ModelConfigSha256),
            WeightsSha256 = Get(Keys.WeightsSha256),
            TokenRate = double.TryParse(Get(Keys.TokenRate), NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) ? rate
                : throw new InvalidDataException($"'{file}': metadata '{Keys.TokenRate}' = '{Get(Keys.TokenRate)}' is not a number."),
            VocabularySize = Int(Keys.VocabularySize),
            FsqLevels = Get(Keys.FsqLevels).Length == 0 ? [] : [.. Get(Keys.FsqLevels).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
            GlobalDim = Int(Keys.GlobalDim),
            ProjectVersion = Get(Keys.ProjectVersion),
        };
    }
}
