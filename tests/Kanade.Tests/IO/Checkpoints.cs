namespace Kanade.Tests.IO;

/// <summary>Small checkpoints written by PyTorch 2.11 (see Data/checkpoints/README.md for what each holds).</summary>
public static class Checkpoints
{
    /// <summary>Path of a file in tests/Kanade.Tests/Data/checkpoints.</summary>
    public static string Path(string name) =>
        System.IO.Path.Combine(Fixtures.RepoRoot, "tests", "Kanade.Tests", "Data", "checkpoints", name);
}
