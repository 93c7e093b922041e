// Port of kanade-tokenizer model.py KanadeModel.from_pretrained(repo_id, revision) (MIT): loading published models by name.
using Kanade.IO.Hub;

namespace Kanade;

public sealed partial class KanadeModel
{
    /// <summary>
    /// Loads a published model by name: <paramref name="repoId"/> is a Hugging Face hub id
    /// (<c>frothywater/kanade-12.5hz</c>, <c>frothywater/kanade-25hz</c>, <c>frothywater/kanade-25hz-clean</c>), optionally
    /// <c>@revision</c> (a branch, tag or commit), or a local folder holding <c>config.yaml</c> and
    /// <c>model.safetensors</c>. Files come from the Hugging Face cache shared with Python (<c>HF_HOME</c>,
    /// <c>HF_HUB_CACHE</c>), downloaded on first use (progress on standard error); the SSL weights the config names
    /// come from torchaudio's published file or the hub (see <see cref="PretrainedFiles.ForSslModel"/>). The
    /// environment configures everything: <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>, <c>HF_HUB_OFFLINE</c>,
    /// <c>KANADE_TORCHAUDIO_BASE_URL</c>, <c>KANADE_SSL_SOURCE</c>. Eval mode, CPU.
    /// </summary>
    /// <exception cref="HubFileNotCachedException">Offline or unreachable, and a file is not cached (the message says where to place it).</exception>
    /// <exception cref="HubException">The hub refused (unknown repository, revision or file; no access) or a download was corrupt.</exception>
    public static KanadeModel FromPretrained(string repoId)
    {
        using var hub = new HubClient { DownloadProgress = DownloadProgressWriter.To(Console.Error) };
        return FromPretrained(repoId, hub);
    }

    /// <summary>As <see cref="FromPretrained(string)"/>, through <paramref name="hub"/> (its settings, cache and progress).</summary>
    public static KanadeModel FromPretrained(string repoId, HubClient hub)
    {
        var files = PretrainedFiles.ForKanadeModel(repoId, hub);
        return FromPretrained(files.ConfigPath, files.WeightsPath, files.SslWeightsPath);
    }
}
