// Failures of hub downloads: the hub said no, the bytes were wrong, or the file is neither cached nor reachable.
namespace Kanade.IO.Hub;

/// <summary>
/// A file could not be fetched from the hub (or a plain download URL): an HTTP error, a file that is not where it was
/// asked for, or a download that does not match the size or sha256 the hub published. The message names the
/// repository, file and URL.
/// </summary>
public class HubException : IOException
{
    /// <summary>Creates the exception.</summary>
    public HubException(string message, string? url = null, int? statusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Url = url;
        StatusCode = statusCode;
    }

    /// <summary>The URL the failure concerns, when there is one.</summary>
    public string? Url { get; }

    /// <summary>The HTTP status the server answered with, when the failure is one.</summary>
    public int? StatusCode { get; }
}
