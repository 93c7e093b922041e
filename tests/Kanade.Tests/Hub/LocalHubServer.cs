using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Kanade.Tests.Hub;

/// <summary>One request the server saw.</summary>
public sealed record LoggedRequest(string Method, string Path, string? Authorization, string? Range);

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 that answers as the Hugging Face hub does: <c>/{repo}/resolve/{revision}/{file}</c>
/// answers a file kept in git with a relative 307 to <c>/api/resolve-cache/models/{repo}/{commit}/{file}</c> (which serves
/// it with <c>X-Repo-Commit</c> and its git blob sha1 as <c>ETag</c>), and an LFS file with a 302 to <c>/cdn/{sha256}</c>
/// on a second port (the CDN's host) carrying <c>X-Repo-Commit</c>, <c>X-Linked-Etag</c> and <c>X-Linked-Size</c>;
/// errors carry <c>X-Error-Code</c>; downloads honour Range requests. Plain files (torchaudio's URL layout) too. One
/// connection per request; it stops itself after <c>lifetime</c> at the latest.
/// </summary>
public sealed class LocalHubServer : IDisposable
{
    static readonly string[] LfsExtensions = [".safetensors", ".pth", ".pt", ".bin"];
    const string ResolveCache = "/api/resolve-cache/models/";
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly TcpListener cdnListener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop;
    readonly Task[] acceptLoops;
    readonly ConcurrentQueue<LoggedRequest> log = new();
    readonly ConcurrentDictionary<string, TestRepo> repos = new();
    readonly ConcurrentDictionary<string, byte[]> blobs = new();
    readonly ConcurrentDictionary<string, byte[]> plainFiles = new();
    readonly ConcurrentDictionary<string, bool> interruptOnce = new();
    readonly ConcurrentDictionary<string, bool> corrupted = new();

    public LocalHubServer(TimeSpan? lifetime = null)
    {
        listener.Start();
        cdnListener.Start();
        stop = new CancellationTokenSource(lifetime ?? TimeSpan.FromSeconds(90));
        Endpoint = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        CdnEndpoint = $"http://127.0.0.1:{((IPEndPoint)cdnListener.LocalEndpoint).Port}";
        acceptLoops = [Task.Run(() => AcceptLoopAsync(listener)), Task.Run(() => AcceptLoopAsync(cdnListener))];
    }

    /// <summary>http://127.0.0.1:PORT, the hub.</summary>
    public string Endpoint { get; }

    /// <summary>http://127.0.0.1:OTHERPORT, where LFS files are redirected to (another host, as far as URLs go).</summary>
    public string CdnEndpoint { get; }

    /// <summary>When set, resolve requests without <c>Authorization: Bearer {token}</c> are answered 401 (a private repository).</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<LoggedRequest> Requests => log.ToArray();

    /// <summary>Forgets the requests logged so far.</summary>
    public void ClearLog() => log.Clear();

    /// <summary>Publishes <paramref name="files"/> as a new commit of <paramref name="repoId"/> and points <paramref name="refs"/> at it; returns the commit id.</summary>
    public string Commit(string repoId, IReadOnlyDictionary<string, byte[]> files, params string[] refs)
    {
        var repo = repos.GetOrAdd(repoId, _ => new TestRepo());
        string commit;
        lock (repo)
        {
            commit = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{repoId}#{repo.Commits.Count}")));
            repo.Commits[commit] = new Dictionary<string, byte[]>(files);
            foreach (string r in refs) repo.Refs[r] = commit;
        }
        foreach (var bytes in files.Values) blobs[Sha256(bytes)] = bytes;
        return commit;
    }

    /// <summary>Serves <paramref name="bytes"/> at <paramref name="path"/> (e.g. <c>/torchaudio/models/x.pth</c>).</summary>
    public void AddPlainFile(string path, byte[] bytes) => plainFiles[path] = bytes;

    /// <summary>The next GET of <paramref name="path"/> (a <c>/cdn/{sha256}</c> or plain path) sends half its body, then drops the connection.</summary>
    public void InterruptOnce(string path) => interruptOnce[path] = true;

    /// <summary>Downloads of the LFS blob with this sha256 arrive with one byte changed.</summary>
    public void Corrupt(string sha256) => corrupted[sha256] = true;

    /// <summary>The CDN path an LFS file is redirected to.</summary>
    public static string CdnPath(byte[] bytes) => "/cdn/" + Sha256(bytes);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>git's object id of a blob: sha1("blob {length}\0" + bytes), the hub's ETag of files kept in git.</summary>
    public static string GitBlobSha1(byte[] bytes) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));

    public static bool IsLfs(string file) => LfsExtensions.Contains(Path.GetExtension(file));

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        cdnListener.Stop();
        try { Task.WaitAll(acceptLoops, TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        stop.Dispose();
    }

    async Task AcceptLoopAsync(TcpListener source)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await source.AcceptTcpClientAsync(stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var request = await ReadRequestAsync(stream, timeout.Token);
                if (request is null) return;
                log.Enqueue(new LoggedRequest(request.Method, request.Path, request.Header("Authorization"), request.Header("Range")));
                await RespondAsync(stream, request, timeout.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away or the server is stopping: nothing to answer.
            }
        }
    }

    sealed record Request(string Method, string Path, Dictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
    }

    static async Task<Request?> ReadRequestAsync(NetworkStream stream, CancellationToken token)
    {
        var bytes = new List<byte>();
        var buffer = new byte[1024];
        while (bytes.Count < 16384)
        {
            int n = await stream.ReadAsync(buffer, token);
            if (n == 0) return null;
            bytes.AddRange(buffer.AsSpan(0, n));
            string text = Encoding.ASCII.GetString(bytes.ToArray());
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) continue;
            var lines = text[..end].Split("\r\n");
            var parts = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                int colon = line.IndexOf(':');
                if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            return new Request(parts[0], parts[1].Split('?')[0], headers);
        }
        return null;
    }

    async Task RespondAsync(NetworkStream stream, Request request, CancellationToken token)
    {
        if (request.Path.StartsWith("/cdn/", StringComparison.Ordinal) && blobs.TryGetValue(request.Path[5..], out var blob))
        {
            byte[] body = corrupted.ContainsKey(request.Path[5..]) ? Flip(blob) : blob;
            await SendBodyAsync(stream, request, body, [], token);
            return;
        }
        if (plainFiles.TryGetValue(request.Path, out var plain))
        {
            await SendBodyAsync(stream, request, plain, [], token);
            return;
        }
        bool cached = request.Path.StartsWith(ResolveCache, StringComparison.Ordinal);
        int resolve = request.Path.IndexOf("/resolve/", StringComparison.Ordinal);
        if (!cached && resolve < 0)
        {
            await SendAsync(stream, 404, [], ReadOnlyMemory<byte>.Empty, false, token);
            return;
        }
        // /{org}/{name}/resolve/{revision}/{file} or /api/resolve-cache/models/{org}/{name}/{commit}/{file}
        var parts = cached ? request.Path[ResolveCache.Length..].Split('/') : request.Path[(resolve + "/resolve/".Length)..].Split('/');
        string repoId = cached ? parts[0] + "/" + parts[1] : request.Path[1..resolve];
        var rest = cached ? parts[2..] : parts;
        string revision = Uri.UnescapeDataString(rest[0]);
        string file = string.Join('/', rest.Skip(1).Select(Uri.UnescapeDataString));

        bool authorised = RequiredToken is null || request.Header("Authorization") == "Bearer " + RequiredToken;
        if (!repos.TryGetValue(repoId, out var repo) || !authorised)
        {
            await SendAsync(stream, 401, [("X-Error-Code", "RepoNotFound"), ("X-Error-Message", "Repository not found")], ReadOnlyMemory<byte>.Empty, false, token);
            return;
        }
        string? commit;
        Dictionary<string, byte[]>? files;
        lock (repo)
        {
            commit = repo.Refs.TryGetValue(revision, out var c) ? c : repo.Commits.ContainsKey(revision) ? revision : null;
            files = commit is null ? null : repo.Commits[commit];
        }
        if (commit is null || files is null)
        {
            await SendAsync(stream, 404, [("X-Error-Code", "RevisionNotFound")], ReadOnlyMemory<byte>.Empty, false, token);
            return;
        }
        if (!files.TryGetValue(file, out var content))
        {
            await SendAsync(stream, 404, [("X-Error-Code", "EntryNotFound"), ("X-Repo-Commit", commit)], ReadOnlyMemory<byte>.Empty, false, token);
            return;
        }
        if (IsLfs(file))
        {
            string sha = Sha256(content);
            await SendAsync(stream, 302,
            [
                ("Location", CdnEndpoint + "/cdn/" + sha), ("X-Repo-Commit", commit), ("X-Linked-Etag", $"\"{sha}\""),
                ("X-Linked-Size", content.Length.ToString()), ("ETag", $"\"{GitBlobSha1(Encoding.ASCII.GetBytes("pointer " + sha))}\""),
            ], ReadOnlyMemory<byte>.Empty, false, token);
            return;
        }
        string etag = $"\"{GitBlobSha1(content)}\"";
        if (!cached)
        {
            await SendAsync(stream, 307, [("Location", $"{ResolveCache}{repoId}/{commit}/{HubPath(file)}?etag={Uri.EscapeDataString(etag)}"), ("X-Repo-Commit", commit)],
                            ReadOnlyMemory<byte>.Empty, false, token);
            return;
        }
        await SendBodyAsync(stream, request, content, [("X-Repo-Commit", commit), ("ETag", etag)], token);
    }

    async Task SendBodyAsync(NetworkStream stream, Request request, byte[] content, (string, string)[] headers, CancellationToken token)
    {
        long start = 0;
        if (request.Header("Range") is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            start = long.Parse(range[6..^1]);
        bool get = request.Method == "GET";
        if (start >= content.Length && start > 0)
        {
            await SendAsync(stream, 416, [("Content-Range", $"bytes */{content.Length}")], ReadOnlyMemory<byte>.Empty, false, token);
            return;
        }
        var body = content.AsMemory((int)start);
        (string, string)[] all = start > 0 ? [.. headers, ("Content-Range", $"bytes {start}-{content.Length - 1}/{content.Length}")] : headers;
        bool cut = get && interruptOnce.TryRemove(request.Path, out _);
        await SendAsync(stream, start > 0 ? 206 : 200, [.. all, ("Accept-Ranges", "bytes")], body, get, token, cutAfter: cut ? body.Length / 2 : null);
    }

    static async Task SendAsync(NetworkStream stream, int status, (string Name, string Value)[] headers, ReadOnlyMemory<byte> body, bool withBody,
                                CancellationToken token, int? cutAfter = null)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {Reason(status)}\r\n");
        foreach (var (name, value) in headers) head.Append($"{name}: {value}\r\n");
        head.Append($"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), token);
        if (withBody) await stream.WriteAsync(cutAfter is int cut ? body[..cut] : body, token);
        await stream.FlushAsync(token);
    }

    static string HubPath(string file) => string.Join('/', file.Split('/').Select(Uri.EscapeDataString));

    static string Reason(int status) => status switch
    {
        200 => "OK", 206 => "Partial Content", 302 => "Found", 307 => "Temporary Redirect", 401 => "Unauthorized", 404 => "Not Found",
        416 => "Range Not Satisfiable", _ => "Status",
    };

    static byte[] Flip(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        copy[copy.Length / 3] ^= 0xFF;
        return copy;
    }

    sealed class TestRepo
    {
        public Dictionary<string, Dictionary<string, byte[]>> Commits { get; } = [];
        public Dictionary<string, string> Refs { get; } = [];
    }
}
