namespace Kanade.Cli.Infrastructure;

/// <summary>Files written whole or not at all: under a hidden temporary name beside the target, then renamed into place.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a temporary path (<c>.NAME.PID-GUID.tmp</c> in the target's folder) and moves
    /// the result to <paramref name="path"/>; nothing half-written is ever visible there, and the temporary is removed
    /// if <paramref name="write"/> fails.
    /// </summary>
    public static void Write(string path, Action<string> write)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!,
            $".{Path.GetFileName(path)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            write(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
