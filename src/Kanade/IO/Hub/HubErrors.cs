// The hub's error answers turned into messages that say what is wrong and what to do (huggingface_hub's hf_raise_for_status).
using System.Net;

namespace Kanade.IO.Hub;

/// <summary>Reads the hub's <c>X-Error-Code</c> / <c>X-Error-Message</c> headers and the status into a <see cref="HubException"/>.</summary>
static class HubErrors
{
    /// <summary>The exception for an error answer about <paramref name="what"/> (a file of a repository, or a URL).</summary>
    public static HubException ForStatus(HttpResponseMessage response, string what, HubRepoId? repo = null, string? endpoint = null)
    {
        int status = (int)response.StatusCode;
        string url = response.RequestMessage?.RequestUri?.ToString() ?? "";
        string? code = Header(response, "X-Error-Code");
        string detail = Header(response, "X-Error-Message") is { } serverMessage ? $" The server said: {serverMessage}" : "";
        string page = repo is null ? "" : $"{endpoint}/{repo.RepoId}";
        string message = (code, response.StatusCode) switch
        {
            ("RepoNotFound", _) or (null, HttpStatusCode.Unauthorized) when repo is not null =>
                $"Repository '{repo.RepoId}' was not found at {endpoint} (HTTP {status}). Check the id; a private or gated " +
                $"repository needs a token with access to it in HF_TOKEN.",
            ("GatedRepo", _) when repo is not null =>
                $"Repository '{repo.RepoId}' is gated: accept its conditions at {page} and set HF_TOKEN to a token of that account (HTTP {status}).",
            ("RevisionNotFound", _) when repo is not null =>
                $"Revision '{repo.Revision}' was not found in '{repo.RepoId}' (HTTP {status}): give a branch, tag or commit id that exists ({page}/tree/main).",
            ("EntryNotFound", _) or (null, HttpStatusCode.NotFound) when repo is not null =>
                $"{what} is not in '{repo.RepoId}' at revision '{repo.Revision}' (HTTP {status}, {url}).",
            (_, HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) =>
                $"Access to {what} was refused (HTTP {status}, {url}); set HF_TOKEN to a token that may read it.",
            _ => $"Fetching {what} failed: HTTP {status} {response.ReasonPhrase} from {url}.",
        };
        return new HubException(message + detail, url, status);
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
