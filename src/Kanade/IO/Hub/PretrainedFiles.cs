// Which published files make a Kanade model, its SSL model and its vocoder (kanade-tokenizer model.py from_pretrained, util.py load_vocoder).
using Kanade.Ssl;

namespace Kanade.IO.Hub;

/// <summary>
/// Fetches (or finds in the caches) the published files of Kanade models, of the SSL models their configs name
/// and of their vocoders, as the Python reference does through <c>hf_hub_download</c> and <c>torchaudio.pipelines</c>.
/// </summary>
public static class PretrainedFiles
{
    /// <summary>The models the authors publish (kanade-tokenizer's README).</summary>
    public static IReadOnlyList<string> PublishedModels { get; } =
        ["frothywater/kanade-12.5hz", "frothywater/kanade-25hz", "frothywater/kanade-25hz-clean"];

    /// <summary>The model YAML in a Kanade repository.</summary>
    public const string ConfigFile = "config.yaml";
    /// <summary>The exported weights in a Kanade repository.</summary>
    public const string WeightsFile = "model.safetensors";
    /// <summary>The repository of the Vocos the published 12.5 Hz and 25 Hz models use.</summary>
    public const string VocosRepo = "charactr/vocos-mel-24khz";
    /// <summary>The repository holding the HiFT vocoder of kanade-25hz-clean (CosyVoice 2's).</summary>
    public const string HiftRepo = "FunAudioLLM/CosyVoice2-0.5B";
    /// <summary>The weights file of a Hugging Face transformers model (what the hub's WavLM repositories hold).</summary>
    public const string TransformersWeightsFile = "pytorch_model.bin";

    // torchaudio.pipelines' file for each name of kanade-tokenizer's MODEL_REGISTRY (pipelines/_wav2vec2/impl.py).
    static readonly Dictionary<string, string> TorchaudioFiles = new(StringComparer.Ordinal)
    {
        ["wav2vec2_base"] = "wav2vec2_fairseq_base_ls960.pth",
        ["wav2vec2_large"] = "wav2vec2_fairseq_large_ls960.pth",
        ["wav2vec2_large_lv60k"] = "wav2vec2_fairseq_large_lv60k.pth",
        ["hubert_base"] = "hubert_fairseq_base_ls960.pth",
        ["hubert_large"] = "hubert_fairseq_large_ll60k.pth",
        ["hubert_xlarge"] = "hubert_fairseq_xlarge_ll60k.pth",
        ["wavlm_base"] = "wavlm_base.pth",
        ["wavlm_base_plus"] = "wavlm_base_plus.pth",
        ["wavlm_large"] = "wavlm_large.pth",
    };

    // The same WavLM weights as Microsoft publishes them on the hub (SslWeights renames them to torchaudio's names).
    static readonly Dictionary<string, string> HubRepos = new(StringComparer.Ordinal)
    {
        ["wavlm_base"] = "microsoft/wavlm-base",
        ["wavlm_base_plus"] = "microsoft/wavlm-base-plus",
        ["wavlm_large"] = "microsoft/wavlm-large",
    };

    /// <summary>
    /// The files of the Kanade model <paramref name="id"/>: a hub id (<c>frothywater/kanade-12.5hz</c>, optionally
    /// <c>@revision</c>), whose <c>config.yaml</c> and <c>model.safetensors</c> come from one commit, or a local folder
    /// holding those two files. The SSL weights the config names are found with <see cref="ForSslModel"/> unless the
    /// weights file holds them.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is neither a folder nor a repository id.</exception>
    /// <exception cref="HubFileNotCachedException">Offline or unreachable, and a file is not cached (the message says where to put it).</exception>
    /// <exception cref="HubException">The hub refused or a download was corrupt.</exception>
    public static KanadeModelFiles ForKanadeModel(string id, HubClient hub)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(hub);
        string config, weights;
        if (Directory.Exists(id))
        {
            config = RequireLocal(id, ConfigFile);
            weights = RequireLocal(id, WeightsFile);
        }
        else
        {
            var repo = ParseModelId(id);
            try
            {
                config = hub.Download(repo, ConfigFile);
                // Take the weights from the commit the config came from, even if the branch moves in between.
                var pinned = hub.Cache.ResolveCommit(repo) is { } commit ? repo.At(commit) : repo;
                weights = hub.Download(pinned, WeightsFile);
            }
            catch (HubFileNotCachedException e)
            {
                throw new HubFileNotCachedException(
                    e.Message + $"\nA folder holding {ConfigFile} and {WeightsFile} works too: pass its path instead of '{id}'.", e.Url!, e.CachePath, e);
            }
        }
        bool sslInWeights = SafeTensors.ReadHeader(weights).Tensors.Any(t => t.Name.StartsWith(SslWeights.KanadePrefix, StringComparison.Ordinal));
        string? ssl = sslInWeights ? null : ForSslModel(ModelConfigLoader.Load(config).SslFeatureExtractor.ModelName, hub);
        return new KanadeModelFiles(config, weights, ssl);
    }

    /// <summary>
    /// The weights of SSL model <paramref name="modelName"/> (<c>wavlm_base_plus</c>, ...): torchaudio's file if torch.hub
    /// (<c>TORCH_HOME/hub/checkpoints</c>) or <c>HF_HOME/torchaudio</c> holds it, else the hub repository's
    /// <c>pytorch_model.bin</c> if cached, else downloaded from <see cref="HubSettings.SslSource"/>. Names outside
    /// torchaudio's bundles are fetched as <c>&lt;name&gt;.pth</c> from <see cref="HubSettings.TorchaudioBaseUrl"/>, which a
    /// mirror may serve.
    /// </summary>
    public static string ForSslModel(string modelName, HubClient hub)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentNullException.ThrowIfNull(hub);
        var settings = hub.Settings;
        string file = TorchaudioFileName(modelName);
        string downloadPath = Path.Combine(settings.TorchaudioDirectory, file);
        foreach (string? folder in new[] { settings.TorchHubCheckpointDirectory, settings.TorchaudioDirectory })
            if (folder is not null && HubCache.IsUsableFile(Path.Combine(folder, file))) return Path.Combine(folder, file);
        HubRepoId? repo = HubRepos.TryGetValue(modelName, out string? repoId) ? new HubRepoId(repoId) : null;
        if (repo is not null && hub.Cache.TryGetCached(repo, TransformersWeightsFile) is { } cached) return cached;
        try
        {
            return settings.SslSource == SslWeightsSource.Hub && repo is not null
                ? hub.Download(repo, TransformersWeightsFile)
                : hub.DownloadUrl(TorchaudioUrl(settings, modelName), downloadPath);
        }
        catch (HubException e) when (e.StatusCode is 403 or 404 && !TorchaudioFiles.ContainsKey(modelName))
        {
            throw new HubException(
                $"SSL model '{modelName}' is not one of torchaudio's bundles ({string.Join(", ", TorchaudioFiles.Keys)}) and " +
                $"{TorchaudioUrl(settings, modelName)} does not hold it (HTTP {e.StatusCode}). Give its weights yourself: " +
                "KanadeModel.FromPretrained(configPath, weightsPath, sslWeightsPath), or serve them there (KANADE_TORCHAUDIO_BASE_URL).",
                e.Url, e.StatusCode, e);
        }
        catch (HubFileNotCachedException e)
        {
            string alternative = repo is null ? "" :
                settings.SslSource == SslWeightsSource.Hub
                    ? $"\ntorchaudio's {file} ({TorchaudioUrl(settings, modelName)}) saved as {downloadPath} works too."
                    : $"\n{repo.RepoId}'s {TransformersWeightsFile} in the hub cache works too (KANADE_SSL_SOURCE=hub downloads it from there).";
            throw new HubFileNotCachedException(
                e.Message + alternative + $"\nOr give the SSL weights file yourself: KanadeModel.FromPretrained(configPath, weightsPath, sslWeightsPath).",
                e.Url!, e.CachePath, e);
        }
    }

    /// <summary>The files of vocoder <paramref name="name"/>: <c>vocos</c> (<see cref="VocosRepo"/>: config.yaml, pytorch_model.bin) or <c>hift</c> (<see cref="HiftRepo"/>: hift.pt).</summary>
    /// <exception cref="ArgumentException">Another name (the message lists the accepted ones).</exception>
    public static VocoderFiles ForVocoder(string name, HubClient hub)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(hub);
        switch (name.ToLowerInvariant())
        {
            case Vocoder.VocosName:
            {
                var repo = new HubRepoId(VocosRepo);
                string config = hub.Download(repo, "config.yaml");
                var pinned = hub.Cache.ResolveCommit(repo) is { } commit ? repo.At(commit) : repo;
                return new VocoderFiles(Vocoder.VocosName, config, hub.Download(pinned, TransformersWeightsFile));
            }
            case Vocoder.HiftName:
                return new VocoderFiles(Vocoder.HiftName, null, hub.Download(new HubRepoId(HiftRepo), "hift.pt"));
            default:
                throw new ArgumentException($"Unknown vocoder '{name}'; accepted: '{Vocoder.VocosName}', '{Vocoder.HiftName}'.", nameof(name));
        }
    }

    /// <summary>torchaudio's file name for an SSL model (<c>wavlm_base_plus</c> -> <c>wavlm_base_plus.pth</c>); <c>&lt;name&gt;.pth</c> for other names.</summary>
    public static string TorchaudioFileName(string modelName) =>
        TorchaudioFiles.TryGetValue(modelName, out string? file) ? file : modelName + ".pth";

    /// <summary>Where torchaudio publishes an SSL model's weights (under <see cref="HubSettings.TorchaudioBaseUrl"/>).</summary>
    public static Uri TorchaudioUrl(HubSettings settings, string modelName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Uri($"{settings.TorchaudioBaseUrl}/{Uri.EscapeDataString(TorchaudioFileName(modelName))}");
    }

    static HubRepoId ParseModelId(string id)
    {
        if (File.Exists(id))
            throw new ArgumentException($"'{id}' is a file; a model is a hub id or a folder holding {ConfigFile} and {WeightsFile}. " +
                                        "For separate files use KanadeModel.FromPretrained(configPath, weightsPath, sslWeightsPath).", nameof(id));
        try
        {
            return HubRepoId.Parse(id);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{id}' is neither a folder nor a Hugging Face model id. Published models: " +
                                        $"{string.Join(", ", PublishedModels)} (optionally @revision). {e.Message}", nameof(id), e);
        }
    }

    static string RequireLocal(string folder, string file)
    {
        string path = Path.Combine(folder, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Model folder '{folder}' has no {file}.", path);
    }
}
