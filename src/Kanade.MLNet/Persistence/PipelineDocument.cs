// The JSON file KanadePipeline writes: steps with their options, and checksummed references to model files.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kanade.MLNet.Persistence;

/// <summary>A saved pipeline (see <see cref="KanadePipeline"/>).</summary>
internal sealed record PipelineDocument
{
    public const string FormatName = "kanade-mlnet-pipeline";
    public const int CurrentVersion = 1;

    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;
    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("written_by")] public string WrittenBy { get; init; } = "";
    [JsonPropertyName("models")] public List<FileSet> Models { get; init; } = [];
    [JsonPropertyName("vocoders")] public List<FileSet> Vocoders { get; init; } = [];
    [JsonPropertyName("steps")] public List<Step> Steps { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        IncludeFields = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>One step: its kind (LoadAudio, KanadeEncode, KanadeDecode, Vocode), the model or vocoder it uses, its options.</summary>
internal sealed record Step
{
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("model")] public int? Model { get; init; }
    [JsonPropertyName("vocoder")] public int? Vocoder { get; init; }
    [JsonPropertyName("options")] public JsonElement Options { get; init; }
}

/// <summary>A model's or vocoder's files: paths relative to the pipeline file (and absolute, as saved) with SHA-256.</summary>
internal sealed record FileSet
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("files")] public Dictionary<string, FileEntry> Files { get; init; } = [];
}

/// <summary>One file of a <see cref="FileSet"/>.</summary>
internal sealed record FileEntry
{
    [JsonPropertyName("path")] public string Path { get; init; } = "";
    [JsonPropertyName("absolute_path")] public string AbsolutePath { get; init; } = "";
    [JsonPropertyName("sha256")] public string Sha256 { get; init; } = "";

    public static FileEntry For(string file, string sha256, string pipelineFolder) => new()
    {
        Path = System.IO.Path.GetRelativePath(pipelineFolder, file), AbsolutePath = System.IO.Path.GetFullPath(file), Sha256 = sha256,
    };

    /// <summary>The file: relative to the pipeline's folder when it is there, else at its absolute path as saved.</summary>
    public string Resolve(string pipelineFolder)
    {
        string relative = System.IO.Path.GetFullPath(System.IO.Path.Combine(pipelineFolder, Path));
        return File.Exists(relative) || !File.Exists(AbsolutePath) ? relative : AbsolutePath;
    }
}
