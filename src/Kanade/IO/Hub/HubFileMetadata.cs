// What a HEAD request on a hub file URL tells: huggingface_hub's HfFileMetadata (get_hf_file_metadata).
using System.Text.RegularExpressions;

namespace Kanade.IO.Hub;

/// <summary>
/// A file as the hub describes it, from the headers of a HEAD request on its <c>resolve</c> URL with redirects off:
/// <c>X-Repo-Commit</c>, <c>X-Linked-Etag</c> (else <c>ETag</c>), <c>Location</c> (the CDN for LFS files) and
/// <c>X-Linked-Size</c> (else <c>Content-Length</c>).
/// </summary>
/// <param name="CommitHash">The commit the revision resolved to; null when the server did not say (not a hub).</param>
/// <param name="ETag">The file's identity, quotes and weak marker removed: its sha256 for LFS files, its git blob sha1 otherwise.</param>
/// <param name="Location">Where to download it from: the redirect target, else the URL itself.</param>
/// <param name="Size">Its size in bytes, when known.</param>
public sealed partial record HubFileMetadata(string? CommitHash, string? ETag, Uri Location, long? Size)
{
    /// <summary>Whether the ETag is a sha256 (an LFS file), which the downloaded bytes are checked against.</summary>
    public bool HasSha256 => ETag is not null && Sha256Pattern().IsMatch(ETag);

    /// <summary>An ETag header value without its weak marker and quotes, or null.</summary>
    public static string? NormalizeETag(string? etag)
    {
        if (etag is null) return null;
        etag = etag.Trim();
        if (etag.StartsWith("W/", StringComparison.Ordinal)) etag = etag[2..];
        etag = etag.Trim('"');
        return etag.Length == 0 ? null : etag;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
