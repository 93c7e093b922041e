namespace Kanade.Tests.IO;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Absolute path of the directory.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kanade-io-" + Guid.NewGuid().ToString("N"));

    /// <summary>Creates the directory.</summary>
    public TempDirectory() => Directory.CreateDirectory(Path);

    /// <summary>A path inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Deletes the directory and everything in it.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
