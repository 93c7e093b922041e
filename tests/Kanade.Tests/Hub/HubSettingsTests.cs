using Kanade.IO.Hub;

namespace Kanade.Tests.Hub;

/// <summary>The environment variables huggingface_hub reads give the same endpoint, cache, token and offline switch.</summary>
[TestClass]
public sealed class HubSettingsTests
{
    static HubSettings From(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return HubSettings.FromEnvironment(name => map.GetValueOrDefault(name));
    }

    [TestMethod]
    public void NoVariables_GiveHuggingFaceHubDefaults()
    {
        var settings = From(("XDG_CACHE_HOME", "/data/cache"), ("HF_TOKEN_PATH", "/nonexistent/token"));

        Assert.AreEqual("https://huggingface.co", settings.Endpoint);
        Assert.AreEqual("/data/cache/huggingface", settings.HomeDirectory);
        Assert.AreEqual("/data/cache/huggingface/hub", settings.CacheDirectory);
        Assert.AreEqual("/data/cache/torch/hub/checkpoints", settings.TorchHubCheckpointDirectory);
        Assert.AreEqual("https://download.pytorch.org/torchaudio/models", settings.TorchaudioBaseUrl);
        Assert.AreEqual(TimeSpan.FromSeconds(10), settings.MetadataTimeout);
        Assert.IsNull(settings.Token);
        Assert.IsFalse(settings.Offline);
        Assert.AreEqual(SslWeightsSource.Torchaudio, settings.SslSource);
    }

    [TestMethod]
    public void HfHome_HoldsTheHubCacheAndTheTorchaudioFolder()
    {
        var settings = From(("HF_HOME", "/srv/hf"));

        Assert.AreEqual("/srv/hf/hub", settings.CacheDirectory);
        Assert.AreEqual("/srv/hf/torchaudio", settings.TorchaudioDirectory);
    }

    [TestMethod]
    public void HfHubCache_OverridesTheCacheFolderOnly()
    {
        var settings = From(("HF_HOME", "/srv/hf"), ("HF_HUB_CACHE", "/fast/hub"));

        Assert.AreEqual("/fast/hub", settings.CacheDirectory);
        Assert.AreEqual("/srv/hf", settings.HomeDirectory);
    }

    [TestMethod]
    public void Endpoint_LosesItsTrailingSlash()
    {
        Assert.AreEqual("https://hf-mirror.com", From(("HF_ENDPOINT", "https://hf-mirror.com/")).Endpoint);
    }

    [TestMethod]
    [DataRow("1", true)]
    [DataRow("true", true)]
    [DataRow("YES", true)]
    [DataRow("on", true)]
    [DataRow("0", false)]
    [DataRow("false", false)]
    public void Offline_AcceptsHuggingFaceHubsSpellings(string value, bool offline)
    {
        Assert.AreEqual(offline, From(("HF_HUB_OFFLINE", value)).Offline);
    }

    [TestMethod]
    public void Token_ComesFromHfTokenElseTheLoginFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("token"), "hf_from_file\n");

        Assert.AreEqual("hf_from_env", From(("HF_HOME", dir.Path), ("HF_TOKEN", "hf_from_env")).Token);
        Assert.AreEqual("hf_from_file", From(("HF_HOME", dir.Path)).Token);
    }

    [TestMethod]
    public void KanadeVariables_SetTheTorchaudioUrlAndTheSslSource()
    {
        var settings = From((HubSettings.TorchaudioBaseUrlVariable, "http://mirror.local/models/"), (HubSettings.SslSourceVariable, "hub"));

        Assert.AreEqual("http://mirror.local/models", settings.TorchaudioBaseUrl);
        Assert.AreEqual(SslWeightsSource.Hub, settings.SslSource);
        Assert.AreEqual("http://mirror.local/models/wavlm_base_plus.pth", PretrainedFiles.TorchaudioUrl(settings, "wavlm_base_plus").ToString());
    }

    [TestMethod]
    public void MeaninglessValues_AreRefusedNamingTheVariable()
    {
        var source = Assert.ThrowsExactly<ArgumentException>(() => From((HubSettings.SslSourceVariable, "s3")));
        StringAssert.Contains(source.Message, "KANADE_SSL_SOURCE must be 'torchaudio' or 'hub', got 's3'");
        var timeout = Assert.ThrowsExactly<ArgumentException>(() => From(("HF_HUB_ETAG_TIMEOUT", "soon")));
        StringAssert.Contains(timeout.Message, "HF_HUB_ETAG_TIMEOUT must be a positive number of seconds, got 'soon'");
    }
}
