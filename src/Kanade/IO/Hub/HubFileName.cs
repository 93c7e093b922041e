// File names inside a hub repository: '/'-separated, relative, never climbing out of a snapshot folder.
namespace Kanade.IO.Hub;

/// <summary>Checks and splits the name of a file inside a repository (<c>config.yaml</c>, <c>sub/dir/file.bin</c>).</summary>
public static class HubFileName
{
    /// <summary>Throws unless <paramref name="file"/> is a relative '/'-separated path without empty, <c>.</c> or <c>..</c> parts.</summary>
    /// <exception cref="ArgumentException">The name could escape the cache folder or is empty.</exception>
    public static void Validate(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        bool bad = file.Length == 0 || file.StartsWith('/') || file.Contains('\\') || file.Any(char.IsControl)
            || file.Split('/').Any(part => part is "" or "." or "..");
        if (bad)
            throw new ArgumentException($"'{file}' is not a file name inside a repository: expected a relative path such as 'config.yaml' or 'sub/model.bin'.", nameof(file));
    }

    /// <summary>The path's parts, for joining with local folders.</summary>
    public static string[] Segments(string file)
    {
        Validate(file);
        return file.Split('/');
    }

    /// <summary>The name as it appears in a URL: each part percent-encoded, '/' kept.</summary>
    public static string UrlPath(string file) => string.Join('/', Segments(file).Select(Uri.EscapeDataString));
}
