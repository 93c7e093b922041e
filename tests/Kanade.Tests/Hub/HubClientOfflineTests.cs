using System.Net;
using System.Net.Sockets;
using Kanade.IO.Hub;

namespace Kanade.Tests.Hub;

/// <summary>HF_HUB_OFFLINE and unreachable hubs: cached files are used, missing ones are named with where to put them.</summary>
[TestClass]
public sealed class HubClientOfflineTests
{
    const string RepoName = "test-org/tiny";
    const string Commit = "0123456789abcdef0123456789abcdef01234567";

    [TestMethod]
    public void Offline_MissingFile_ThrowsWithTheUrlAndTheExactCachePath()
    {
        using var env = new HubTestEnvironment();
        using var hub = env.Client(offline: true);

        var error = Assert.ThrowsExactly<HubFileNotCachedException>(() => hub.Download(HubRepoId.Parse(RepoName), "model.safetensors"));

        string folder = Path.Combine(env.Home, "hub", "models--test-org--tiny");
        StringAssert.Contains(error.Message, "'model.safetensors' of test-org/tiny is not in the Hugging Face cache");
        StringAssert.Contains(error.Message, "offline mode is on (HF_HUB_OFFLINE=1)");
        StringAssert.Contains(error.Message, $"download\n  {env.Server.Endpoint}/test-org/tiny/resolve/main/model.safetensors\n");
        StringAssert.Contains(error.Message, $"save it as\n  {Path.Combine(folder, "snapshots", "<commit>", "model.safetensors")}\n");
        StringAssert.Contains(error.Message, $"write that commit id into\n  {Path.Combine(folder, "refs", "main")}");
        StringAssert.Contains(error.Message, "hf download test-org/tiny model.safetensors");
        Assert.AreEqual($"{env.Server.Endpoint}/test-org/tiny/resolve/main/model.safetensors", error.Url);
        Assert.IsEmpty(env.Server.Requests);
    }

    [TestMethod]
    public void Offline_WithAKnownCommit_NamesTheSnapshotPathExactly()
    {
        using var env = new HubTestEnvironment();
        string refs = Path.Combine(env.Home, "hub", "models--test-org--tiny", "refs");
        Directory.CreateDirectory(refs);
        File.WriteAllText(Path.Combine(refs, "main"), Commit);
        using var hub = env.Client(offline: true);

        var error = Assert.ThrowsExactly<HubFileNotCachedException>(() => hub.Download(HubRepoId.Parse(RepoName), "config.yaml"));

        Assert.AreEqual(Path.Combine(env.Home, "hub", "models--test-org--tiny", "snapshots", Commit, "config.yaml"), error.CachePath);
        Assert.IsFalse(error.Message.Contains("<commit>"), error.Message);
    }

    [TestMethod]
    public void Offline_FilesPlacedAsHuggingFaceHubDoes_AreUsedWithoutARequest()
    {
        using var env = new HubTestEnvironment();
        string folder = PlaceAsPython(env.Home, "config.yaml", "a: 1\n"u8.ToArray());
        using var hub = env.Client(offline: true);

        string path = hub.Download(HubRepoId.Parse(RepoName), "config.yaml");

        Assert.AreEqual(Path.Combine(folder, "snapshots", Commit, "config.yaml"), path);
        Assert.AreEqual("a: 1\n", File.ReadAllText(path));
        Assert.IsEmpty(env.Server.Requests);
    }

    [TestMethod]
    public void Unreachable_FilesInTheCache_AreUsed()
    {
        using var env = new HubTestEnvironment();
        PlaceAsPython(env.Home, "config.yaml", "a: 1\n"u8.ToArray());
        using var hub = new HubClient(env.Settings() with { Endpoint = ClosedPortEndpoint() });

        string path = hub.Download(HubRepoId.Parse(RepoName), "config.yaml");

        Assert.AreEqual("a: 1\n", File.ReadAllText(path));
    }

    [TestMethod]
    public void Unreachable_MissingFile_SaysTheHubCouldNotBeReachedAndWhereToPutIt()
    {
        using var env = new HubTestEnvironment();
        string endpoint = ClosedPortEndpoint();
        using var hub = new HubClient(env.Settings() with { Endpoint = endpoint });

        var error = Assert.ThrowsExactly<HubFileNotCachedException>(() => hub.Download(HubRepoId.Parse(RepoName + "@v2"), "config.yaml"));

        StringAssert.Contains(error.Message, $"{endpoint} could not be reached");
        StringAssert.Contains(error.Message, $"{endpoint}/test-org/tiny/resolve/v2/config.yaml");
        StringAssert.Contains(error.Message, "hf download test-org/tiny config.yaml --revision v2");
    }

    [TestMethod]
    public void Offline_PlainUrl_NamesTheUrlAndTheDestination()
    {
        using var env = new HubTestEnvironment();
        using var hub = env.Client(offline: true);
        string destination = Path.Combine(env.Home, "torchaudio", "wavlm_base_plus.pth");

        var error = Assert.ThrowsExactly<HubFileNotCachedException>(() =>
            hub.DownloadUrl(new Uri("https://download.pytorch.org/torchaudio/models/wavlm_base_plus.pth"), destination));

        Assert.AreEqual(
            "'wavlm_base_plus.pth' is not cached and cannot be downloaded: offline mode is on (HF_HUB_OFFLINE=1).\n" +
            $"To place it by hand, download\n  https://download.pytorch.org/torchaudio/models/wavlm_base_plus.pth\nand save it as\n  {destination}",
            error.Message);
    }

    /// <summary>Lays a file out as Python's hf_hub_download leaves it: blob, relative symlink in the snapshot, refs/main.</summary>
    static string PlaceAsPython(string home, string file, byte[] bytes)
    {
        string folder = Path.Combine(home, "hub", "models--test-org--tiny");
        string blob = Path.Combine(folder, "blobs", LocalHubServer.GitBlobSha1(bytes));
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        File.WriteAllBytes(blob, bytes);
        string snapshot = Path.Combine(folder, "snapshots", Commit, file);
        Directory.CreateDirectory(Path.GetDirectoryName(snapshot)!);
        File.CreateSymbolicLink(snapshot, Path.Combine("..", "..", "blobs", Path.GetFileName(blob)));
        Directory.CreateDirectory(Path.Combine(folder, "refs"));
        File.WriteAllText(Path.Combine(folder, "refs", "main"), Commit);
        return folder;
    }

    /// <summary>An address on 127.0.0.1 where nothing listens (a port just released).</summary>
    static string ClosedPortEndpoint()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
