using Kanade.IO.Hub;
using static TorchSharp.torch;

namespace Kanade.Tests.Hub;

/// <summary>KanadeModel.FromPretrained and Vocoder.FromPretrained by name, end to end against the local hub.</summary>
[TestClass]
public sealed class FromPretrainedHubTests
{
    const string Clip = "short_24k.wav";

    [TestMethod]
    public void KanadeModel_ByRepoId_DownloadsEverythingAndEncodesAsTheFixture()
    {
        using var env = new HubTestEnvironment();
        string commit = env.Server.Commit("test-org/tiny-kanade", HubFixtures.TinyKanadeRepo(), "main");
        env.Server.AddPlainFile("/torchaudio/models/wavlm_tiny.pth", HubFixtures.TinySslPth);
        using var variables = new EnvironmentScope(env.Variables());

        using var model = KanadeModel.FromPretrained("test-org/tiny-kanade");

        AssertEncodesAsTheFixture(model);
        var requests = env.Server.Requests.Select(r => $"{r.Method} {r.Path}").ToArray();
        CollectionAssert.AreEqual(new[]
        {
            "HEAD /test-org/tiny-kanade/resolve/main/config.yaml",
            $"HEAD /api/resolve-cache/models/test-org/tiny-kanade/{commit}/config.yaml",
            $"GET /api/resolve-cache/models/test-org/tiny-kanade/{commit}/config.yaml",
            // The weights come from the commit the config resolved to.
            $"HEAD /test-org/tiny-kanade/resolve/{commit}/model.safetensors",
            $"GET {LocalHubServer.CdnPath(HubFixtures.TinyKanadeRepo()["model.safetensors"])}",
            "GET /torchaudio/models/wavlm_tiny.pth",
        }, requests);
        Assert.IsTrue(File.Exists(Path.Combine(env.Home, "torchaudio", "wavlm_tiny.pth")), "torchaudio's file is kept under HF_HOME/torchaudio");
    }

    [TestMethod]
    public void KanadeModel_SecondLoad_Offline_UsesTheCacheOnly()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit("test-org/tiny-kanade", HubFixtures.TinyKanadeRepo(), "main");
        env.Server.AddPlainFile("/torchaudio/models/wavlm_tiny.pth", HubFixtures.TinySslPth);
        using (var online = env.Client()) KanadeModel.FromPretrained("test-org/tiny-kanade", online).Dispose();
        env.Server.ClearLog();
        using var offline = env.Client(offline: true);

        using var model = KanadeModel.FromPretrained("test-org/tiny-kanade", offline);

        AssertEncodesAsTheFixture(model);
        Assert.IsEmpty(env.Server.Requests);
    }

    [TestMethod]
    public void KanadeModel_Offline_NamesTheMissingFileTheUrlAndTheFolderAlternative()
    {
        using var env = new HubTestEnvironment();
        using var hub = env.Client(offline: true);

        var error = Assert.ThrowsExactly<HubFileNotCachedException>(() => KanadeModel.FromPretrained("frothywater/kanade-12.5hz", hub));

        StringAssert.Contains(error.Message, "'config.yaml' of frothywater/kanade-12.5hz is not in the Hugging Face cache");
        StringAssert.Contains(error.Message, $"{env.Server.Endpoint}/frothywater/kanade-12.5hz/resolve/main/config.yaml");
        StringAssert.Contains(error.Message, Path.Combine(env.Home, "hub", "models--frothywater--kanade-12.5hz", "snapshots", "<commit>", "config.yaml"));
        StringAssert.Contains(error.Message, "A folder holding config.yaml and model.safetensors works too");
    }

    [TestMethod]
    public void KanadeModel_MissingSslWeights_Offline_NamesTorchaudiosUrlAndTheOtherWays()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit("test-org/tiny-kanade", HubFixtures.TinyKanadeRepo(), "main");
        using (var online = env.Client())
        {
            online.Download(HubRepoId.Parse("test-org/tiny-kanade"), "config.yaml");
            online.Download(HubRepoId.Parse("test-org/tiny-kanade"), "model.safetensors");
        }
        using var offline = env.Client(offline: true);

        var error = Assert.ThrowsExactly<HubFileNotCachedException>(() => KanadeModel.FromPretrained("test-org/tiny-kanade", offline));

        StringAssert.Contains(error.Message, $"download\n  {env.Server.Endpoint}/torchaudio/models/wavlm_tiny.pth\nand save it as\n  {Path.Combine(env.Home, "torchaudio", "wavlm_tiny.pth")}");
        StringAssert.Contains(error.Message, "KanadeModel.FromPretrained(configPath, weightsPath, sslWeightsPath)");
    }

    [TestMethod]
    public void KanadeModel_SslModelTorchaudioDoesNotPublish_SaysToGiveItsWeights()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit("test-org/tiny-kanade", HubFixtures.TinyKanadeRepo(), "main");
        using var hub = env.Client();

        var error = Assert.ThrowsExactly<HubException>(() => KanadeModel.FromPretrained("test-org/tiny-kanade", hub));

        Assert.AreEqual(404, error.StatusCode);
        StringAssert.Contains(error.Message, "SSL model 'wavlm_tiny' is not one of torchaudio's bundles");
        StringAssert.Contains(error.Message, $"{env.Server.Endpoint}/torchaudio/models/wavlm_tiny.pth does not hold it (HTTP 404)");
        StringAssert.Contains(error.Message, "KanadeModel.FromPretrained(configPath, weightsPath, sslWeightsPath)");
    }

    [TestMethod]
    public void KanadeModel_SslWeightsTorchHubAlreadyHas_AreReused()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit("test-org/tiny-kanade", HubFixtures.TinyKanadeRepo(), "main");
        Directory.CreateDirectory(env.TorchCheckpoints);
        File.WriteAllBytes(Path.Combine(env.TorchCheckpoints, "wavlm_tiny.pth"), HubFixtures.TinySslPth);
        using var hub = env.Client();

        var files = PretrainedFiles.ForKanadeModel("test-org/tiny-kanade", hub);

        Assert.AreEqual(Path.Combine(env.TorchCheckpoints, "wavlm_tiny.pth"), files.SslWeightsPath);
        Assert.IsFalse(env.Server.Requests.Any(r => r.Path.StartsWith("/torchaudio/")));
    }

    [TestMethod]
    public void KanadeModel_SslSourceHub_TakesWavLMFromMicrosoftsRepository()
    {
        using var env = new HubTestEnvironment();
        var repo = HubFixtures.TinyKanadeRepo();
        // A config naming the published SSL model (with the tiny architecture under params) resolves to its hub repository.
        repo["config.yaml"] = System.Text.Encoding.UTF8.GetBytes(
            System.Text.Encoding.UTF8.GetString(repo["config.yaml"]).Replace("model_name: wavlm_tiny", "model_name: wavlm_base_plus"));
        env.Server.Commit("test-org/tiny-kanade-plus", repo, "main");
        env.Server.Commit("microsoft/wavlm-base-plus", new Dictionary<string, byte[]> { ["pytorch_model.bin"] = HubFixtures.TinySslPth }, "main");
        using var hub = new HubClient(env.Settings() with { SslSource = SslWeightsSource.Hub });

        using var model = KanadeModel.FromPretrained("test-org/tiny-kanade-plus", hub);

        AssertEncodesAsTheFixture(model);
        Assert.IsTrue(env.Server.Requests.Any(r => r.Path == "/microsoft/wavlm-base-plus/resolve/main/pytorch_model.bin"));
        Assert.IsFalse(env.Server.Requests.Any(r => r.Path.StartsWith("/torchaudio/")));
    }

    [TestMethod]
    public void KanadeModel_LocalFolder_LoadsWithoutTheHubForItsOwnFiles()
    {
        using var env = new HubTestEnvironment();
        using var folder = new TempDirectory();
        foreach (var (name, bytes) in HubFixtures.TinyKanadeRepo()) File.WriteAllBytes(folder.File(name), bytes);
        env.Server.AddPlainFile("/torchaudio/models/wavlm_tiny.pth", HubFixtures.TinySslPth);
        using var hub = env.Client();

        using var model = KanadeModel.FromPretrained(folder.Path, hub);

        AssertEncodesAsTheFixture(model);
        CollectionAssert.AreEqual(new[] { "/torchaudio/models/wavlm_tiny.pth" }, env.Server.Requests.Select(r => r.Path).ToArray());
    }

    [TestMethod]
    public void KanadeModel_NeitherFolderNorRepoId_ListsThePublishedModels()
    {
        using var env = new HubTestEnvironment();
        using var hub = env.Client();

        var error = Assert.ThrowsExactly<ArgumentException>(() => KanadeModel.FromPretrained("not a model", hub));

        StringAssert.Contains(error.Message, "'not a model' is neither a folder nor a Hugging Face model id");
        StringAssert.Contains(error.Message, "frothywater/kanade-12.5hz, frothywater/kanade-25hz, frothywater/kanade-25hz-clean");
    }

    [TestMethod]
    public void KanadeModel_AFilePath_PointsToTheOverloadForFiles()
    {
        using var env = new HubTestEnvironment();
        using var hub = env.Client();

        var error = Assert.ThrowsExactly<ArgumentException>(() => KanadeModel.FromPretrained(Fixtures.Path("tiny12", "model.yaml"), hub));

        StringAssert.Contains(error.Message, "model.yaml' is a file");
        StringAssert.Contains(error.Message, "KanadeModel.FromPretrained(configPath, weightsPath, sslWeightsPath)");
        Assert.IsEmpty(env.Server.Requests);
    }

    [TestMethod]
    public void Vocoder_Vocos_ByName_LoadsCharactrsFilesAndVocodesAsTheFixture()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit(PretrainedFiles.VocosRepo, HubFixtures.TinyVocosRepo(), "main");
        using var hub = env.Client();

        using var vocoder = Vocoder.FromPretrained("vocos", hub);

        var golden = Fixtures.Clip("tiny12", Clip);
        using var waveform = vocoder.Vocode(golden["mel_from_tokens"].unsqueeze(0));
        TensorAssert.Close(waveform[0], golden["vocoded"], TensorAssert.Deep, "vocoded through Vocoder.FromPretrained(\"vocos\")");
        Assert.IsTrue(env.Server.Requests.Any(r => r.Path == "/charactr/vocos-mel-24khz/resolve/main/config.yaml"));
    }

    [TestMethod]
    public void Vocoder_Hift_ByName_AsksCosyVoiceForHiftPt()
    {
        using var env = new HubTestEnvironment();
        env.Server.Commit(PretrainedFiles.HiftRepo, new Dictionary<string, byte[]> { ["README.md"] = "CosyVoice"u8.ToArray() }, "main");
        using var hub = env.Client();

        var error = Assert.ThrowsExactly<HubException>(() => Vocoder.FromPretrained("hift", hub));

        StringAssert.Contains(error.Message, "'hift.pt' is not in 'FunAudioLLM/CosyVoice2-0.5B' at revision 'main'");
    }

    static void AssertEncodesAsTheFixture(KanadeModel model)
    {
        var golden = Fixtures.Clip("tiny12", Clip);
        using var features = model.Encode(AudioFile.Load(Fixtures.Audio(Clip), 24000));
        TensorAssert.Equal(features.ContentTokenIndices!, golden["content_token_indices"], "content_token_indices");
        TensorAssert.Close(features.GlobalEmbedding!, golden["global_embedding"], TensorAssert.Shallow, "global_embedding");
    }
}
