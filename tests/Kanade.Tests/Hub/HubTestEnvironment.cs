using Kanade.IO.Hub;

namespace Kanade.Tests.Hub;

/// <summary>A local hub server and an empty HF_HOME under a temporary folder, both gone on dispose.</summary>
public sealed class HubTestEnvironment : IDisposable
{
    readonly TempDirectory temp = new();

    public LocalHubServer Server { get; } = new();

    /// <summary>HF_HOME of the test.</summary>
    public string Home => System.IO.Path.Combine(temp.Path, "hf");

    /// <summary>TORCH_HOME/hub/checkpoints of the test (empty unless a test fills it).</summary>
    public string TorchCheckpoints => System.IO.Path.Combine(temp.Path, "torch", "hub", "checkpoints");

    /// <summary>Settings pointing at the local server and the temporary cache; short timeouts.</summary>
    public HubSettings Settings(bool offline = false, string? token = null) => new()
    {
        Endpoint = Server.Endpoint,
        HomeDirectory = Home,
        CacheDirectory = System.IO.Path.Combine(Home, "hub"),
        TorchaudioBaseUrl = Server.Endpoint + "/torchaudio/models",
        TorchHubCheckpointDirectory = TorchCheckpoints,
        Offline = offline,
        Token = token,
        MetadataTimeout = TimeSpan.FromSeconds(5),
        DownloadTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>A client on <see cref="Settings"/>.</summary>
    public HubClient Client(bool offline = false, string? token = null) => new(Settings(offline, token));

    /// <summary>The environment variables that make <see cref="HubSettings.FromEnvironment()"/> give <see cref="Settings"/>.</summary>
    public Dictionary<string, string?> Variables(bool offline = false) => new()
    {
        ["HF_ENDPOINT"] = Server.Endpoint,
        ["HF_HOME"] = Home,
        ["HF_HUB_CACHE"] = null,
        ["HUGGINGFACE_HUB_CACHE"] = null,
        ["HF_TOKEN"] = null,
        ["HUGGING_FACE_HUB_TOKEN"] = null,
        ["HF_HUB_OFFLINE"] = offline ? "1" : null,
        ["TORCH_HOME"] = System.IO.Path.Combine(temp.Path, "torch"),
        [HubSettings.TorchaudioBaseUrlVariable] = Server.Endpoint + "/torchaudio/models",
        [HubSettings.SslSourceVariable] = null,
    };

    public void Dispose()
    {
        Server.Dispose();
        temp.Dispose();
    }
}
