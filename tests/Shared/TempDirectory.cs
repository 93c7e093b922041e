namespace Kanade.Tests;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Absolute path of the folder.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("kanade-tests-").FullName;

    /// <summary>A path inside the folder.</summary>
    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Deletes the folder and everything in it.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
