// Hugging Face hub settings read from the environment variables huggingface_hub honours (constants.py), plus Kanade's own.
namespace Kanade.IO.Hub;

/// <summary>
/// Where the hub is, where its cache lies, the token and offline switch: the environment variables of Python's
/// <c>huggingface_hub</c> (<c>HF_ENDPOINT</c>, <c>HF_HOME</c>, <c>HF_HUB_CACHE</c>, <c>HF_TOKEN</c>,
/// <c>HF_HUB_OFFLINE</c>, <c>HF_HUB_ETAG_TIMEOUT</c>, <c>HF_HUB_DOWNLOAD_TIMEOUT</c>), so both share one cache, plus
/// <c>KANADE_TORCHAUDIO_BASE_URL</c> and <c>KANADE_SSL_SOURCE</c> for the SSL weights torchaudio publishes.
/// </summary>
public sealed record HubSettings
{
    /// <summary>The public hub.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";
    /// <summary>Where torchaudio's pipelines download their weights from.</summary>
    public const string DefaultTorchaudioBaseUrl = "https://download.pytorch.org/torchaudio/models";
    /// <summary>Environment variable that replaces <see cref="DefaultTorchaudioBaseUrl"/> (a mirror, or a local server in tests).</summary>
    public const string TorchaudioBaseUrlVariable = "KANADE_TORCHAUDIO_BASE_URL";
    /// <summary>Environment variable choosing where SSL weights are downloaded from: <c>torchaudio</c> (default) or <c>hub</c>.</summary>
    public const string SslSourceVariable = "KANADE_SSL_SOURCE";

    /// <summary>Base URL of the hub (<c>HF_ENDPOINT</c>), without a trailing slash.</summary>
    public string Endpoint { get; init; } = DefaultEndpoint;
    /// <summary><c>HF_HOME</c>: the folder that holds the hub cache, the token file and Kanade's torchaudio folder.</summary>
    public required string HomeDirectory { get; init; }
    /// <summary><c>HF_HUB_CACHE</c>: the folder of <c>models--org--name</c> repositories (default <c>HF_HOME/hub</c>).</summary>
    public required string CacheDirectory { get; init; }
    /// <summary>Bearer token (<c>HF_TOKEN</c>, else the file <c>huggingface-cli login</c> wrote); null for anonymous access.</summary>
    public string? Token { get; init; }
    /// <summary><c>HF_HUB_OFFLINE</c>: never touch the network, use the cache only.</summary>
    public bool Offline { get; init; }
    /// <summary>How long to wait for the hub's answer to a metadata (HEAD) request (<c>HF_HUB_ETAG_TIMEOUT</c>, 10 s).</summary>
    public TimeSpan MetadataTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long a download may wait for the next bytes before it is retried (<c>HF_HUB_DOWNLOAD_TIMEOUT</c>, 10 s).</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Base URL of torchaudio's published SSL weights (<see cref="TorchaudioBaseUrlVariable"/>).</summary>
    public string TorchaudioBaseUrl { get; init; } = DefaultTorchaudioBaseUrl;
    /// <summary>Folder torchaudio files are downloaded to: <c>HF_HOME/torchaudio</c>.</summary>
    public string TorchaudioDirectory => Path.Combine(HomeDirectory, "torchaudio");
    /// <summary>torch.hub's checkpoint folder (<c>TORCH_HOME/hub/checkpoints</c>): torchaudio files Python downloaded are reused from it.</summary>
    public string? TorchHubCheckpointDirectory { get; init; }
    /// <summary>Where SSL weights come from when none is cached: torchaudio's URL (default) or the model's hub repository.</summary>
    public SslWeightsSource SslSource { get; init; } = SslWeightsSource.Torchaudio;

    /// <summary>The settings the process environment gives.</summary>
    public static HubSettings FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>The settings <paramref name="variable"/> (name -> value or null) gives; defaults as huggingface_hub's.</summary>
    /// <exception cref="ArgumentException">A variable holds a value that means nothing (the message names it and the accepted values).</exception>
    public static HubSettings FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? Get(string name) => variable(name) is { Length: > 0 } value ? value : null;

        string home = Expand(Get("HF_HOME")) ?? Path.Combine(CacheRoot(Get), "huggingface");
        string cache = Expand(Get("HF_HUB_CACHE") ?? Get("HUGGINGFACE_HUB_CACHE")) ?? Path.Combine(home, "hub");
        string torchHome = Expand(Get("TORCH_HOME")) ?? Path.Combine(CacheRoot(Get), "torch");
        return new HubSettings
        {
            Endpoint = (Get("HF_ENDPOINT") ?? DefaultEndpoint).TrimEnd('/'),
            HomeDirectory = home,
            CacheDirectory = cache,
            Token = Get("HF_TOKEN") ?? Get("HUGGING_FACE_HUB_TOKEN") ?? ReadTokenFile(Expand(Get("HF_TOKEN_PATH")) ?? Path.Combine(home, "token")),
            Offline = IsTrue(Get("HF_HUB_OFFLINE")),
            MetadataTimeout = Seconds(Get, "HF_HUB_ETAG_TIMEOUT", 10),
            DownloadTimeout = Seconds(Get, "HF_HUB_DOWNLOAD_TIMEOUT", 10),
            TorchaudioBaseUrl = (Get(TorchaudioBaseUrlVariable) ?? DefaultTorchaudioBaseUrl).TrimEnd('/'),
            TorchHubCheckpointDirectory = Path.Combine(torchHome, "hub", "checkpoints"),
            SslSource = ParseSslSource(Get(SslSourceVariable)),
        };
    }

    // huggingface_hub's truthy spellings of a boolean variable.
    static bool IsTrue(string? value) => value?.ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    static string CacheRoot(Func<string, string?> get) =>
        Expand(get("XDG_CACHE_HOME")) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");

    static string? Expand(string? path)
    {
        if (path is null) return null;
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        return Path.GetFullPath(path);
    }

    static string? ReadTokenFile(string path)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    static TimeSpan Seconds(Func<string, string?> get, string name, double fallback)
    {
        string? text = get(name);
        if (text is null) return TimeSpan.FromSeconds(fallback);
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{name} must be a positive number of seconds, got '{text}'.");
    }

    static SslWeightsSource ParseSslSource(string? text) => text?.ToLowerInvariant() switch
    {
        null or "torchaudio" => SslWeightsSource.Torchaudio,
        "hub" => SslWeightsSource.Hub,
        _ => throw new ArgumentException($"{SslSourceVariable} must be 'torchaudio' or 'hub', got '{text}'."),
    };
}
