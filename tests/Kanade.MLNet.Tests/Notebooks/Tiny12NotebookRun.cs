// One notebook run on the tiny12 fixture model in its own temporary folder, shared by the tests of a class.
using Kanade.Tests;

namespace Kanade.MLNet.Tests.Notebooks;

/// <summary>Runs a notebook of <see cref="NotebookFixture.Folder"/> with <see cref="NotebookFixture.Tiny12Environment"/>; disposing it removes the folder.</summary>
internal sealed class Tiny12NotebookRun : IDisposable
{
    readonly TempDirectory folder = new();

    /// <summary>Runs <paramref name="notebook"/> (a file name in the notebooks folder) to its end.</summary>
    public Tiny12NotebookRun(string notebook)
    {
        try
        {
            Runner = NotebookRunner.Run(NotebookFixture.Notebook(notebook), NotebookFixture.Tiny12Environment(folder.Path));
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>The finished run: its variables and outputs.</summary>
    public NotebookRunner Runner { get; }

    /// <summary>Disposes the runner, then removes the folder.</summary>
    public void Dispose()
    {
        Runner.Dispose();
        folder.Dispose();
    }
}
