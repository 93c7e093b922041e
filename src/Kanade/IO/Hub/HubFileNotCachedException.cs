// The error for offline mode and unreachable servers: which file is missing and where to put it by hand.
namespace Kanade.IO.Hub;

/// <summary>
/// A file is not in the cache and cannot be downloaded now (<c>HF_HUB_OFFLINE=1</c>, or the server is unreachable).
/// The message says which file, the URL it comes from and the exact path under the cache to save it at.
/// </summary>
public sealed class HubFileNotCachedException : HubException
{
    /// <summary>Creates the exception.</summary>
    public HubFileNotCachedException(string message, string url, string cachePath, Exception? inner = null)
        : base(message, url, null, inner) => CachePath = cachePath;

    /// <summary>Where the file is looked for in the cache (for hub files, with <c>&lt;commit&gt;</c> in it when the commit is unknown).</summary>
    public string CachePath { get; }
}
