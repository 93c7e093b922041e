namespace Kanade.IO;

/// <summary>
/// Files written whole or not at all: under a hidden temporary name beside the target, then renamed into place, so a
/// reader (or a resumed run) never sees half a file and an existing file survives a failed write.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a temporary path (<c>.NAME.PID-GUID.tmp</c> in the target's folder) and moves
    /// the result to <paramref name="path"/>, replacing what was there; the temporary is removed if <paramref name="write"/>
    /// or the move fails.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the complete content to the path it is given.</param>
    public static void Write(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string temporary = TemporaryFor(fullPath);
        try
        {
            write(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            try { if (File.Exists(temporary)) File.Delete(temporary); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Whether <paramref name="fileName"/> is a temporary that <see cref="Write"/> left for <paramref name="target"/> (a killed process).</summary>
    public static bool IsTemporaryOf(string fileName, string target) =>
        fileName.StartsWith("." + target + ".", StringComparison.Ordinal) && fileName.EndsWith(".tmp", StringComparison.Ordinal);

    static string TemporaryFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
}
