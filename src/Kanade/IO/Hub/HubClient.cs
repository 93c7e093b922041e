// Downloads files from the Hugging Face hub into its shared cache, as huggingface_hub's hf_hub_download does (file_download.py).
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Kanade.IO.Hub;

/// <summary>
/// Fetches repository files from the Hugging Face hub (<see cref="HubSettings.Endpoint"/>) into the hub cache and
/// returns their local paths, behaving as Python's <c>hf_hub_download</c>: a HEAD request on the file's <c>resolve</c>
/// URL, following redirects only while they stay on the hub, gives the commit (<c>X-Repo-Commit</c>), the file's
/// identity (<c>X-Linked-Etag</c> / <c>ETag</c>), its size (<c>X-Linked-Size</c>) and, for LFS files, the CDN location;
/// the file is then taken from the cache when there, else downloaded into <c>blobs/&lt;etag&gt;.incomplete</c> (resumed
/// with Range requests after an interruption), checked against the published size and sha256, and linked from
/// <c>snapshots/&lt;commit&gt;/</c>. Offline (<c>HF_HUB_OFFLINE=1</c>) or with the hub unreachable, cached files are
/// used and a missing one raises <see cref="HubFileNotCachedException"/> naming its URL and cache path.
/// </summary>
public sealed class HubClient : IDisposable
{
    const int MaxHubRedirects = 10;
    static readonly string UserAgent = $"kanade-dotnet/{typeof(HubClient).Assembly.GetName().Version?.ToString(3) ?? "0"}";

    readonly HttpClient http;

    /// <summary>A client configured from the environment (<see cref="HubSettings.FromEnvironment()"/>).</summary>
    public HubClient() : this(HubSettings.FromEnvironment()) { }

    /// <summary>A client with explicit settings; <paramref name="handler"/> replaces the default HTTP handler (it must not follow redirects).</summary>
    public HubClient(HubSettings settings, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Cache = new HubCache(settings.CacheDirectory);
        // Redirects are handled here: the HEAD must see the hub's own answer (and its Location), not the CDN's.
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = settings.MetadataTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The settings in use.</summary>
    public HubSettings Settings { get; }

    /// <summary>The hub cache files go to.</summary>
    public HubCache Cache { get; }

    /// <summary>
    /// Called once for every file that is actually downloaded, with a short name (<c>org/name/file</c>, or the URL's
    /// file name); the sink it returns receives (bytes so far, total or -1). Null: no progress.
    /// </summary>
    public Func<string, IProgress<(long Done, long Total)>?>? DownloadProgress { get; set; }

    /// <summary>How long to wait for another process downloading the same file before giving up (30 minutes).</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The <c>resolve</c> URL of a file: <c>{endpoint}/{org/name}/resolve/{revision}/{file}</c>.</summary>
    public Uri FileUrl(HubRepoId repo, string file)
    {
        ArgumentNullException.ThrowIfNull(repo);
        return new Uri($"{Settings.Endpoint}/{repo.RepoId}/resolve/{Uri.EscapeDataString(repo.Revision)}/{HubFileName.UrlPath(file)}");
    }

    /// <summary>
    /// The hub's description of a file: a HEAD request whose redirects are followed while they stay on the hub's host
    /// (a renamed repository, the hub's <c>/api/resolve-cache/</c> for files kept in git) and not to another host (the
    /// CDN of LFS files, whose redirect carries the file's headers).
    /// </summary>
    /// <exception cref="HubException">The hub answered with an error (repository, revision or file not found, access refused).</exception>
    /// <exception cref="HttpRequestException">The hub could not be reached.</exception>
    /// <exception cref="TimeoutException">The hub did not answer within <see cref="HubSettings.MetadataTimeout"/>.</exception>
    public async Task<HubFileMetadata> GetFileMetadataAsync(HubRepoId repo, string file, CancellationToken cancellationToken = default)
    {
        Uri url = FileUrl(repo, file);
        string? commitOnRedirect = null;
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, url);
            request.Headers.UserAgent.ParseAdd(UserAgent);
            // Compression would make Content-Length describe the compressed body and the ETag weak.
            request.Headers.AcceptEncoding.ParseAdd("identity");
            if (Settings.Token is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Settings.MetadataTimeout);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{url} did not answer within {Settings.MetadataTimeout.TotalSeconds:0.#} s (HF_HUB_ETAG_TIMEOUT).", e);
            }
            using (response)
            {
                int status = (int)response.StatusCode;
                Uri? location = response.Headers.Location;
                if (status is >= 300 and < 400 && location is not null && hop < MaxHubRedirects
                    && (!location.IsAbsoluteUri || IsHubHost(location)))
                {
                    commitOnRedirect ??= Header(response, "X-Repo-Commit");
                    url = location.IsAbsoluteUri ? location : new Uri(url, location);
                    continue;
                }
                if (status >= 400 || (status >= 300 && location is null))
                    throw HubErrors.ForStatus(response, $"'{file}'", repo, Settings.Endpoint);
                return new HubFileMetadata(
                    CommitHash: Header(response, "X-Repo-Commit") ?? commitOnRedirect,
                    ETag: HubFileMetadata.NormalizeETag(Header(response, "X-Linked-Etag") ?? Header(response, "ETag")),
                    Location: location is null ? url : location.IsAbsoluteUri ? location : new Uri(url, location),
                    Size: long.TryParse(Header(response, "X-Linked-Size"), out long linked) ? linked : response.Content.Headers.ContentLength);
            }
        }
    }

    /// <summary>Synchronous <see cref="DownloadAsync"/>.</summary>
    public string Download(HubRepoId repo, string file, IProgress<(long Done, long Total)>? progress = null) =>
        DownloadAsync(repo, file, progress).GetAwaiter().GetResult();

    /// <summary>
    /// The local path of <paramref name="file"/> in <paramref name="repo"/> at its revision
    /// (<c>&lt;cache&gt;/models--org--name/snapshots/&lt;commit&gt;/&lt;file&gt;</c>), downloading it when the cache lacks it.
    /// A revision that is a commit id and already cached costs no request; a branch or tag costs one HEAD request.
    /// </summary>
    /// <exception cref="HubFileNotCachedException">Offline or unreachable, and the file is not cached.</exception>
    /// <exception cref="HubException">The hub refused, or the download did not match the published size or sha256 (then nothing of it is kept).</exception>
    public async Task<string> DownloadAsync(HubRepoId repo, string file, IProgress<(long Done, long Total)>? progress = null,
                                            CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repo);
        HubFileName.Validate(file);
        string what = $"'{file}' of {repo}";
        if (repo.IsCommit && Cache.TryGetCached(repo, file) is { } pinned) return pinned;
        if (Settings.Offline) return CachedOrThrow(repo, file, "offline mode is on (HF_HUB_OFFLINE=1)", null);

        HubFileMetadata metadata;
        try
        {
            metadata = await GetFileMetadataAsync(repo, file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            return CachedOrThrow(repo, file, $"{Settings.Endpoint} could not be reached ({e.Message})", e);
        }
        Uri url = FileUrl(repo, file);
        string commit = metadata.CommitHash ?? throw new HubException(
            $"{url} answered without an X-Repo-Commit header: {Settings.Endpoint} does not look like a Hugging Face hub (check HF_ENDPOINT).", url.ToString());
        string etag = metadata.ETag ?? throw new HubException(
            $"{url} answered without an ETag, so {what} cannot be identified or checked.", url.ToString());

        TryWriteRef(repo, commit);
        string pointer = Cache.SnapshotPath(repo, commit, file);
        if (HubCache.IsUsableFile(pointer)) return pointer;
        string blob = Cache.BlobPath(repo, etag);
        if (HubCache.IsUsableFile(blob))
        {
            HubCache.LinkSnapshot(blob, pointer, newBlob: false);
            return pointer;
        }

        using (await CacheLock.AcquireAsync(Cache.LockPath(repo, etag), LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            if (HubCache.IsUsableFile(pointer)) return pointer; // another process finished it while we waited
            bool newBlob = !HubCache.IsUsableFile(blob);
            if (newBlob)
            {
                string incomplete = blob + ".incomplete";
                var download = new ResumableDownload(http, UserAgent)
                {
                    Url = metadata.Location,
                    // As huggingface_hub: the token goes to the hub, never to the CDN an LFS file redirects to.
                    Token = IsHubHost(metadata.Location) ? Settings.Token : null,
                    IncompletePath = incomplete,
                    ExpectedSize = metadata.Size,
                    ReadTimeout = Settings.DownloadTimeout,
                    Progress = progress ?? DownloadProgress?.Invoke($"{repo.RepoId}/{file}"),
                    What = what,
                };
                long length = await download.RunAsync(cancellationToken).ConfigureAwait(false);
                Verify(incomplete, length, metadata, what, url);
                File.Move(incomplete, blob, overwrite: true);
            }
            HubCache.LinkSnapshot(blob, pointer, newBlob);
        }
        return pointer;
    }

    /// <summary>Synchronous <see cref="DownloadUrlAsync"/>.</summary>
    public string DownloadUrl(Uri url, string destination, IProgress<(long Done, long Total)>? progress = null) =>
        DownloadUrlAsync(url, destination, progress).GetAwaiter().GetResult();

    /// <summary>
    /// Downloads a plain URL (not a hub file: no commit, no ETag) to <paramref name="destination"/> unless it is already
    /// there, through <c>destination.incomplete</c> with resume. No token is sent. Offline or unreachable, a missing
    /// file raises <see cref="HubFileNotCachedException"/> naming the URL and the destination.
    /// </summary>
    public async Task<string> DownloadUrlAsync(Uri url, string destination, IProgress<(long Done, long Total)>? progress = null,
                                               CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        destination = Path.GetFullPath(destination);
        if (HubCache.IsUsableFile(destination)) return destination;
        string name = Path.GetFileName(destination);
        if (Settings.Offline) throw NotCached(url, destination, "offline mode is on (HF_HUB_OFFLINE=1)", null);

        string lockPath = Path.Combine(Path.GetDirectoryName(destination)!, ".locks", name + ".lock");
        using (await CacheLock.AcquireAsync(lockPath, LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            if (HubCache.IsUsableFile(destination)) return destination;
            string incomplete = destination + ".incomplete";
            var download = new ResumableDownload(http, UserAgent)
            {
                Url = url,
                IncompletePath = incomplete,
                ReadTimeout = Settings.DownloadTimeout,
                Progress = progress ?? DownloadProgress?.Invoke(name),
                What = $"'{name}'",
            };
            try
            {
                await download.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsUnreachable(e, cancellationToken) || e.InnerException is { } inner && IsUnreachable(inner, cancellationToken))
            {
                throw NotCached(url, destination, $"{url.GetLeftPart(UriPartial.Authority)} could not be reached ({e.Message})", e);
            }
            File.Move(incomplete, destination, overwrite: true);
        }
        return destination;
    }

    /// <summary>Closes the HTTP connections.</summary>
    public void Dispose() => http.Dispose();

    string CachedOrThrow(HubRepoId repo, string file, string reason, Exception? inner)
    {
        if (Cache.TryGetCached(repo, file) is { } cached) return cached;
        string? commit = Cache.ResolveCommit(repo);
        string path = Cache.SnapshotPath(repo, commit ?? "<commit>", file);
        Uri url = FileUrl(repo, file);
        string revisionOption = repo.Revision == HubRepoId.DefaultRevision ? "" : $" --revision {repo.Revision}";
        string commitHelp = commit is not null ? "" :
            $"where <commit> is the 40-character commit id of revision '{repo.Revision}' ({Settings.Endpoint}/{repo.RepoId}/commits/{Uri.EscapeDataString(repo.Revision)}), " +
            $"and write that commit id into\n  {Cache.RefPath(repo, repo.Revision)}\n";
        string message =
            $"'{file}' of {repo} is not in the Hugging Face cache ({Cache.Directory}) and cannot be downloaded: {reason}.\n" +
            $"To place it by hand, download\n  {url}\nand save it as\n  {path}\n{commitHelp}" +
            $"Or run `hf download {repo.RepoId} {file}{revisionOption}` (huggingface_hub's CLI) where the hub is reachable " +
            $"and copy {Cache.RepoFolder(repo)} into this cache (HF_HUB_CACHE or HF_HOME/hub).";
        throw new HubFileNotCachedException(message, url.ToString(), path, inner);
    }

    static HubFileNotCachedException NotCached(Uri url, string destination, string reason, Exception? inner) =>
        new($"'{Path.GetFileName(destination)}' is not cached and cannot be downloaded: {reason}.\n" +
            $"To place it by hand, download\n  {url}\nand save it as\n  {destination}",
            url.ToString(), destination, inner);

    void TryWriteRef(HubRepoId repo, string commit)
    {
        try
        {
            Cache.WriteRef(repo, commit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only shared cache still serves files; only the branch -> commit note is lost.
        }
    }

    static void Verify(string incomplete, long length, HubFileMetadata metadata, string what, Uri url)
    {
        if (metadata.Size is long size && length < size)
            throw new HubException($"The download of {what} ended after {length} of {size} bytes; they are kept in '{incomplete}' and the next attempt resumes from there.", url.ToString());
        if (metadata.Size is long published && length > published)
        {
            File.Delete(incomplete);
            throw new HubException($"{what} should be {published} bytes (X-Linked-Size) but {length} arrived; the download was deleted, try again.", url.ToString());
        }
        if (!metadata.HasSha256) return;
        string actual;
        using (var stream = File.OpenRead(incomplete)) actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != metadata.ETag)
        {
            File.Delete(incomplete);
            throw new HubException($"{what} is corrupt: its sha256 is {actual} but the hub published {metadata.ETag}. " +
                                   "The download was deleted; try again (if this repeats, something between you and the hub alters the file).",
                                   url.ToString());
        }
    }

    bool IsHubHost(Uri url) => string.Equals(url.Authority, new Uri(Settings.Endpoint).Authority, StringComparison.OrdinalIgnoreCase)
                               && url.Scheme == new Uri(Settings.Endpoint).Scheme;

    static bool IsUnreachable(Exception e, CancellationToken cancellationToken) => !cancellationToken.IsCancellationRequested && e switch
    {
        HubException hub => hub.StatusCode is >= 500,
        HttpRequestException or TimeoutException => true,
        _ => false,
    };

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues.FirstOrDefault() : null;
}
