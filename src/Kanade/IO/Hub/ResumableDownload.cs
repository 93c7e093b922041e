// Streams a URL into an '.incomplete' file, resuming with HTTP Range requests as huggingface_hub's http_get does.
using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace Kanade.IO.Hub;

/// <summary>
/// Appends a URL's bytes to a partial file: bytes already there (an earlier, interrupted run) are asked for no more
/// (<c>Range: bytes=N-</c>), a connection lost midway is resumed the same way (a few times), a server that ignores
/// the range starts the file over. Redirects are followed; the bearer token never goes to another host.
/// </summary>
sealed class ResumableDownload
{
    const int MaxRetries = 5;
    const int MaxRedirects = 10;
    const long ReportEvery = 1 << 20;

    readonly HttpClient http;
    readonly string userAgent;

    /// <summary>The URL, and the token to send to it (null: none).</summary>
    public required Uri Url { get; init; }
    /// <summary>Bearer token for <see cref="Url"/>'s host only.</summary>
    public string? Token { get; init; }
    /// <summary>The partial file written to (kept when the download fails, for the next run to resume).</summary>
    public required string IncompletePath { get; init; }
    /// <summary>The size the hub published, when it did.</summary>
    public long? ExpectedSize { get; init; }
    /// <summary>Longest wait for the next bytes before the attempt counts as lost.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Receives (bytes in the file, total or -1).</summary>
    public IProgress<(long Done, long Total)>? Progress { get; init; }
    /// <summary>What is being downloaded, for messages.</summary>
    public required string What { get; init; }

    public ResumableDownload(HttpClient http, string userAgent)
    {
        this.http = http;
        this.userAgent = userAgent;
    }

    /// <summary>Runs the download to completion; returns the file's length.</summary>
    /// <exception cref="HubException">The server refused, or the connection kept failing (the partial file is kept).</exception>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(IncompletePath)!);
        for (int retry = 0; ; retry++)
        {
            long have = File.Exists(IncompletePath) ? new FileInfo(IncompletePath).Length : 0;
            if (ExpectedSize is long expected)
            {
                if (have == expected)
                {
                    Progress?.Report((have, expected));
                    return have;
                }
                if (have > expected) Truncate();
            }
            try
            {
                if (await AttemptAsync(cancellationToken).ConfigureAwait(false) is long length) return length;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && retry < MaxRetries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (retry + 1)), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                long kept = File.Exists(IncompletePath) ? new FileInfo(IncompletePath).Length : 0;
                throw new HubException($"Downloading {What} from {Url} failed {MaxRetries + 1} times ({e.Message}); " +
                                       $"{kept} bytes are kept in '{IncompletePath}' and the next attempt resumes from there.",
                                       Url.ToString(), (e as HubException)?.StatusCode, e);
            }
        }
    }

    /// <summary>One request: the rest of the file, appended; null when the partial file had to be started over.</summary>
    async Task<long?> AttemptAsync(CancellationToken cancellationToken)
    {
        long have = File.Exists(IncompletePath) ? new FileInfo(IncompletePath).Length : 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var response = await SendFollowingRedirectsAsync(have, timeout, cancellationToken).ConfigureAwait(false);

        switch (response.StatusCode)
        {
            case HttpStatusCode.RequestedRangeNotSatisfiable when response.Content.Headers.ContentRange?.Length == have:
                Progress?.Report((have, have)); // an earlier run got every byte but stopped before the file was moved
                return have;
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                Truncate(); // longer than the server's file: it cannot be trusted
                return null;
            case HttpStatusCode.PartialContent when response.Content.Headers.ContentRange?.From != have:
                Truncate();
                return null;
            case HttpStatusCode.PartialContent:
                break;
            case HttpStatusCode.OK:
                if (have > 0) Truncate(); // the server ignored the range: the body is the whole file
                have = 0;
                break;
            default:
                throw HubErrors.ForStatus(response, What);
        }

        long total = ExpectedSize
            ?? (response.StatusCode == HttpStatusCode.PartialContent ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength)
            ?? -1;
        long done = have;
        Progress?.Report((done, total));
        long reported = done;

        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            await using var file = new FileStream(IncompletePath, FileMode.Append, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                timeout.CancelAfter(ReadTimeout);
                int read = await ReadWithTimeoutAsync(body, buffer, timeout.Token, cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                done += read;
                if (done - reported >= ReportEvery)
                {
                    Progress?.Report((done, total));
                    reported = done;
                }
            }
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (reported != done) Progress?.Report((done, total));
        return done;
    }

    async Task<HttpResponseMessage> SendFollowingRedirectsAsync(long have, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        Uri url = Url;
        string? token = Token;
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd(userAgent);
            request.Headers.AcceptEncoding.ParseAdd("identity");
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
            timeout.CancelAfter(ReadTimeout);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{url} did not answer within {ReadTimeout.TotalSeconds:0.#} s.", e);
            }
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location && hop < MaxRedirects)
            {
                response.Dispose();
                var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                if (!string.Equals(next.Authority, url.Authority, StringComparison.OrdinalIgnoreCase)) token = null;
                url = next;
                continue;
            }
            return response;
        }
    }

    static async Task<int> ReadWithTimeoutAsync(Stream body, byte[] buffer, CancellationToken timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("no data arrived in time.", e);
        }
    }

    void Truncate()
    {
        using var file = new FileStream(IncompletePath, FileMode.Create, FileAccess.Write);
    }

    static bool IsTransient(Exception e, CancellationToken cancellationToken) => !cancellationToken.IsCancellationRequested && e switch
    {
        HubException hub => hub.StatusCode is 500 or 502 or 503 or 504,
        HttpRequestException or TimeoutException or HttpIOException => true,
        IOException { InnerException: System.Net.Sockets.SocketException } => true, // the connection broke midway
        _ => false, // local file errors (a full disk) are not worth retrying
    };
}
