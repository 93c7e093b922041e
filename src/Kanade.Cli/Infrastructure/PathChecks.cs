namespace Kanade.Cli.Infrastructure;

/// <summary>Up-front checks of the files a command reads and writes, so a mistake costs no model load.</summary>
internal static class PathChecks
{
    /// <summary>Fails (exit 1) naming <paramref name="what"/> when <paramref name="path"/> is not an existing file.</summary>
    public static string ExistingFile(string path, string what)
    {
        if (Directory.Exists(path)) throw new CliException($"{what} '{path}' is a directory; expected a file.");
        if (!File.Exists(path)) throw new CliException($"{what} '{path}' does not exist.");
        return path;
    }

    /// <summary>Like <see cref="ExistingFile"/> for an optional path.</summary>
    public static string? OptionalFile(string? path, string what) => path is null ? null : ExistingFile(path, what);

    /// <summary>Fails (exit 1) when <paramref name="path"/> is not an existing directory.</summary>
    public static string ExistingDirectory(string path, string what)
    {
        if (File.Exists(path)) throw new CliException($"{what} '{path}' is a file; expected a directory.");
        if (!Directory.Exists(path)) throw new CliException($"{what} '{path}' does not exist.");
        return path;
    }

    /// <summary>Bad usage (exit 2) unless <paramref name="path"/> ends with one of <paramref name="extensions"/>; returns the extension.</summary>
    public static string Extension(string path, string what, params string[] extensions)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (!extensions.Contains(extension))
            throw CliException.Usage($"{what} '{path}' must end with {string.Join(" or ", extensions)}.");
        return extension;
    }

    /// <summary>Creates the folder that will hold <paramref name="path"/>.</summary>
    public static void EnsureParent(string path)
    {
        string? parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null) Directory.CreateDirectory(parent);
    }
}
