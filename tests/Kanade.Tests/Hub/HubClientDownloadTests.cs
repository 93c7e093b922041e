using Kanade.IO.Hub;

namespace Kanade.Tests.Hub;

/// <summary>Downloads into the hub cache as huggingface_hub lays it out, against a local server in the hub's URL layout.</summary>
[TestClass]
public sealed class HubClientDownloadTests
{
    const string RepoName = "test-org/tiny";

    [TestMethod]
    public void FirstDownload_FillsBlobsSnapshotsAndRefsAsHuggingFaceHubDoes()
    {
        using var env = new HubTestEnvironment();
        var files = HubFixtures.SmallRepo();
        string commit = env.Server.Commit(RepoName, files, "main");
        using var hub = env.Client();
        var repo = HubRepoId.Parse(RepoName);

        string config = hub.Download(repo, "config.yaml");
        string weights = hub.Download(repo, "model.safetensors");

        string folder = Path.Combine(env.Home, "hub", "models--test-org--tiny");
        Assert.AreEqual(Path.Combine(folder, "snapshots", commit, "config.yaml"), config);
        Assert.AreEqual(Path.Combine(folder, "snapshots", commit, "model.safetensors"), weights);
        Assert.AreEqual(commit, File.ReadAllText(Path.Combine(folder, "refs", "main")));
        // Text files are named by their git blob sha1, LFS files by their sha256, and snapshots link to them relatively.
        Assert.AreEqual(Path.Combine("..", "..", "blobs", LocalHubServer.GitBlobSha1(files["config.yaml"])), new FileInfo(config).LinkTarget);
        Assert.AreEqual(Path.Combine("..", "..", "blobs", LocalHubServer.Sha256(files["model.safetensors"])), new FileInfo(weights).LinkTarget);
        CollectionAssert.AreEqual(files["config.yaml"], File.ReadAllBytes(config));
        CollectionAssert.AreEqual(files["model.safetensors"], File.ReadAllBytes(weights));
        Assert.IsEmpty(Directory.GetFiles(Path.Combine(folder, "blobs"), "*.incomplete"));
    }

    [TestMethod]
    public void Download_ResolvesWithHeadFollowingOnlyTheHubsOwnRedirects()
    {
        using var env = new HubTestEnvironment();
        var files = HubFixtures.SmallRepo();
        string commit = env.Server.Commit(RepoName, files, "main");
        using var hub = env.Client();

        hub.Download(HubRepoId.Parse(RepoName), "config.yaml");
        hub.Download(HubRepoId.Parse(RepoName), "model.safetensors");

        var requests = env.Server.Requests.Select(r => $"{r.Method} {r.Path}").ToArray();
        CollectionAssert.AreEqual(new[]
        {
            // A file kept in git: the hub's relative redirect to its commit-pinned copy is followed by the HEAD.
            $"HEAD /{RepoName}/resolve/main/config.yaml",
            $"HEAD /api/resolve-cache/models/{RepoName}/{commit}/config.yaml",
            $"GET /api/resolve-cache/models/{RepoName}/{commit}/config.yaml",
            // An LFS file: the redirect to the CDN carries the metadata and is only followed by the download.
            $"HEAD /{RepoName}/resolve/main/model.safetensors",
            $"GET {LocalHubServer.CdnPath(files["model.safetensors"])}",
        }, requests);
    }

    [TestMethod]
    public void CachedFile_AtAPinnedCommit_MakesNoRequest()
    {
        using var env = new HubTestEnvironment();
        string commit = env.Server.Commit(RepoName, HubFixtures.SmallRepo(), "main");
        using var hub = env.Client();
        var pinned = new HubRepoId(RepoName, commit);
        string first = hub.Download(pinned, "model.safetensors");
        env.Server.ClearLog();

        string second = hub.Download(pinned, "model.safetensors");

        Assert.AreEqual(first, second);
        Assert.IsEmpty(env.Server.Requests);
    }

    [TestMethod]
    public void CachedFile_OnABranch_CostsOneHeadAndNoDownload()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit(RepoName, HubFixtures.SmallRepo(), "main");
        using var hub = env.Client();
        var repo = HubRepoId.Parse(RepoName);
        string first = hub.Download(repo, "model.safetensors");
        env.Server.ClearLog();

        string second = hub.Download(repo, "model.safetensors");

        Assert.AreEqual(first, second);
        CollectionAssert.AreEqual(new[] { "HEAD" }, env.Server.Requests.Select(r => r.Method).ToArray());
    }

    [TestMethod]
    public void BlobAlreadyCached_ForANewCommit_IsLinkedWithoutDownloading()
    {
        using var env = new HubTestEnvironment();
        var files = HubFixtures.SmallRepo();
        env.Server.Commit(RepoName, files, "main");
        using var hub = env.Client();
        var repo = HubRepoId.Parse(RepoName);
        string old = hub.Download(repo, "model.safetensors");
        string newCommit = env.Server.Commit(RepoName, new Dictionary<string, byte[]>(files) { ["config.yaml"] = "a: 2\n"u8.ToArray() }, "main");
        env.Server.ClearLog();

        string current = hub.Download(repo, "model.safetensors");

        Assert.AreNotEqual(old, current);
        StringAssert.Contains(current, newCommit);
        Assert.IsFalse(env.Server.Requests.Any(r => r.Method == "GET"), "the blob was already there");
        CollectionAssert.AreEqual(File.ReadAllBytes(old), File.ReadAllBytes(current));
    }

    [TestMethod]
    public void Revision_ATag_IsResolvedToItsOwnCommitAndRecordedInRefs()
    {
        using var env = new HubTestEnvironment();
        string tagged = env.Server.Commit(RepoName, HubFixtures.SmallRepo("version: 1\n"), "v1.0");
        string main = env.Server.Commit(RepoName, HubFixtures.SmallRepo("version: 2\n"), "main");
        using var hub = env.Client();

        string atTag = hub.Download(HubRepoId.Parse(RepoName + "@v1.0"), "config.yaml");
        string atMain = hub.Download(HubRepoId.Parse(RepoName), "config.yaml");

        Assert.AreEqual("version: 1\n", File.ReadAllText(atTag));
        Assert.AreEqual("version: 2\n", File.ReadAllText(atMain));
        string refs = Path.Combine(env.Home, "hub", "models--test-org--tiny", "refs");
        Assert.AreEqual(tagged, File.ReadAllText(Path.Combine(refs, "v1.0")));
        Assert.AreEqual(main, File.ReadAllText(Path.Combine(refs, "main")));
        Assert.AreEqual($"HEAD /{RepoName}/resolve/v1.0/config.yaml", $"{env.Server.Requests[0].Method} {env.Server.Requests[0].Path}");
    }

    [TestMethod]
    public void InterruptedDownload_IsResumedWithARangeRequest()
    {
        using var env = new HubTestEnvironment();
        var files = HubFixtures.SmallRepo(lfsBytes: 400_000);
        env.Server.Commit(RepoName, files, "main");
        string cdn = LocalHubServer.CdnPath(files["model.safetensors"]);
        env.Server.InterruptOnce(cdn);
        using var hub = env.Client();

        string path = hub.Download(HubRepoId.Parse(RepoName), "model.safetensors");

        CollectionAssert.AreEqual(files["model.safetensors"], File.ReadAllBytes(path));
        var gets = env.Server.Requests.Where(r => r.Method == "GET").ToArray();
        Assert.HasCount(2, gets);
        Assert.IsNull(gets[0].Range);
        Assert.AreEqual("bytes=200000-", gets[1].Range, "the second request asks only for what the first did not deliver");
    }

    [TestMethod]
    public void IncompleteFileOfAnEarlierRun_IsResumedFromItsLength()
    {
        using var env = new HubTestEnvironment();
        var files = HubFixtures.SmallRepo(lfsBytes: 300_000);
        env.Server.Commit(RepoName, files, "main");
        string blobs = Path.Combine(env.Home, "hub", "models--test-org--tiny", "blobs");
        Directory.CreateDirectory(blobs);
        string sha = LocalHubServer.Sha256(files["model.safetensors"]);
        File.WriteAllBytes(Path.Combine(blobs, sha + ".incomplete"), files["model.safetensors"][..123_456]);
        using var hub = env.Client();

        string path = hub.Download(HubRepoId.Parse(RepoName), "model.safetensors");

        CollectionAssert.AreEqual(files["model.safetensors"], File.ReadAllBytes(path));
        Assert.AreEqual("bytes=123456-", env.Server.Requests.Single(r => r.Method == "GET").Range);
        Assert.IsFalse(File.Exists(Path.Combine(blobs, sha + ".incomplete")));
    }

    [TestMethod]
    public void CorruptedDownload_IsRejectedAgainstTheSha256AndNotKept()
    {
        using var env = new HubTestEnvironment();
        var files = HubFixtures.SmallRepo();
        string commit = env.Server.Commit(RepoName, files, "main");
        string sha = LocalHubServer.Sha256(files["model.safetensors"]);
        env.Server.Corrupt(sha);
        using var hub = env.Client();

        var error = Assert.ThrowsExactly<HubException>(() => hub.Download(HubRepoId.Parse(RepoName), "model.safetensors"));

        StringAssert.Contains(error.Message, "'model.safetensors' of test-org/tiny is corrupt");
        StringAssert.Contains(error.Message, $"the hub published {sha}");
        string folder = Path.Combine(env.Home, "hub", "models--test-org--tiny");
        Assert.IsFalse(File.Exists(Path.Combine(folder, "blobs", sha)));
        Assert.IsFalse(File.Exists(Path.Combine(folder, "blobs", sha + ".incomplete")));
        Assert.IsFalse(File.Exists(Path.Combine(folder, "snapshots", commit, "model.safetensors")));
    }

    [TestMethod]
    public void Token_IsSentAsBearerToTheHubButNotToTheCdn()
    {
        using var env = new HubTestEnvironment();
        var files = HubFixtures.SmallRepo();
        env.Server.Commit(RepoName, files, "main");
        env.Server.RequiredToken = "hf_secret";
        using var hub = env.Client(token: "hf_secret");

        string config = hub.Download(HubRepoId.Parse(RepoName), "config.yaml");
        string weights = hub.Download(HubRepoId.Parse(RepoName), "model.safetensors");

        CollectionAssert.AreEqual(files["config.yaml"], File.ReadAllBytes(config));
        CollectionAssert.AreEqual(files["model.safetensors"], File.ReadAllBytes(weights));
        foreach (var request in env.Server.Requests)
        {
            string expected = request.Path.StartsWith("/cdn/") ? null! : "Bearer hf_secret";
            Assert.AreEqual(expected, request.Authorization, $"{request.Method} {request.Path}");
        }
        Assert.HasCount(5, env.Server.Requests);
    }

    [TestMethod]
    public void PrivateRepository_WithoutToken_SaysHowToGetAccess()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit(RepoName, HubFixtures.SmallRepo(), "main");
        env.Server.RequiredToken = "hf_secret";
        using var hub = env.Client();

        var error = Assert.ThrowsExactly<HubException>(() => hub.Download(HubRepoId.Parse(RepoName), "config.yaml"));

        Assert.AreEqual(401, error.StatusCode);
        StringAssert.Contains(error.Message, "Repository 'test-org/tiny' was not found");
        StringAssert.Contains(error.Message, "HF_TOKEN");
    }

    [TestMethod]
    public void MissingFile_NamesTheFileRepositoryAndRevision()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit(RepoName, HubFixtures.SmallRepo(), "main");
        using var hub = env.Client();

        var error = Assert.ThrowsExactly<HubException>(() => hub.Download(HubRepoId.Parse(RepoName), "hift.pt"));

        Assert.AreEqual(404, error.StatusCode);
        StringAssert.Contains(error.Message, "'hift.pt' is not in 'test-org/tiny' at revision 'main'");
    }

    [TestMethod]
    public void MissingRevision_IsReportedAsSuch()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit(RepoName, HubFixtures.SmallRepo(), "main");
        using var hub = env.Client();

        var error = Assert.ThrowsExactly<HubException>(() => hub.Download(HubRepoId.Parse(RepoName + "@v9"), "config.yaml"));

        StringAssert.Contains(error.Message, "Revision 'v9' was not found in 'test-org/tiny'");
    }

    [TestMethod]
    public void Progress_CountsUpToTheFileSize()
    {
        using var env = new HubTestEnvironment();
        var files = HubFixtures.SmallRepo(lfsBytes: 2_500_000);
        env.Server.Commit(RepoName, files, "main");
        using var hub = env.Client();
        var reports = new List<(long Done, long Total)>();
        var progress = new SynchronousProgress(reports.Add);

        hub.Download(HubRepoId.Parse(RepoName), "model.safetensors", progress);

        Assert.IsGreaterThanOrEqualTo(3, reports.Count, "a start, at least one per MiB, and the end");
        Assert.AreEqual((0L, 2_500_000L), reports[0]);
        Assert.AreEqual((2_500_000L, 2_500_000L), reports[^1]);
        for (int i = 1; i < reports.Count; i++) Assert.IsGreaterThanOrEqualTo(reports[i - 1].Done, reports[i].Done);
    }

    [TestMethod]
    public void DownloadProgressFactory_IsAskedOncePerDownloadedFile()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit(RepoName, HubFixtures.SmallRepo(), "main");
        var names = new List<string>();
        using var hub = env.Client();
        hub.DownloadProgress = name => { names.Add(name); return null; };

        hub.Download(HubRepoId.Parse(RepoName), "model.safetensors");
        hub.Download(HubRepoId.Parse(RepoName), "model.safetensors");

        CollectionAssert.AreEqual(new[] { "test-org/tiny/model.safetensors" }, names);
    }

    [TestMethod]
    public void PlainUrl_IsDownloadedOnceAndResumedAfterACut()
    {
        using var env = new HubTestEnvironment();
        var bytes = HubFixtures.SmallRepo(lfsBytes: 250_000)["model.safetensors"];
        env.Server.AddPlainFile("/torchaudio/models/x.pth", bytes);
        env.Server.InterruptOnce("/torchaudio/models/x.pth");
        using var hub = env.Client();
        string destination = Path.Combine(env.Home, "torchaudio", "x.pth");

        string first = hub.DownloadUrl(new Uri(env.Server.Endpoint + "/torchaudio/models/x.pth"), destination);
        string second = hub.DownloadUrl(new Uri(env.Server.Endpoint + "/torchaudio/models/x.pth"), destination);

        Assert.AreEqual(destination, first);
        Assert.AreEqual(destination, second);
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(destination));
        CollectionAssert.AreEqual(new string?[] { null, "bytes=125000-" }, env.Server.Requests.Select(r => r.Range).ToArray());
    }

    sealed class SynchronousProgress(Action<(long Done, long Total)> report) : IProgress<(long Done, long Total)>
    {
        public void Report((long Done, long Total) value) => report(value);
    }
}
