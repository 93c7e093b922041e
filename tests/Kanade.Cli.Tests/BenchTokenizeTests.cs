using Kanade.Tests;

namespace Kanade.Cli.Tests;

[TestClass]
public sealed class BenchTokenizeTests
{
    [TestMethod]
    public void ShuffledManifestListsEveryRepeatOnceInAFixedMixedOrder()
    {
        using var folder = new TempDirectory();
        string[] Rows(string work)
        {
            CliHarness.Run(["bench", "tokenize", .. CliHarness.Model, "--files", "4", "--seconds", "1", "--repeat", "3", "--shuffle",
                "--decode-threads", "2", "--work-dir", work]).Expect(0);
            return File.ReadAllLines(Path.Combine(work, "corpus", "manifest.csv"))[1..];
        }
        var first = Rows(folder.File("a"));
        var ids = first.Select(r => r.Split(',')[0]).ToArray();
        string[] ordered = [.. Enumerable.Range(0, 3).SelectMany(r => Enumerable.Range(0, 4).Select(i => $"utt{i:D5}_{r}"))];
        CollectionAssert.AreEquivalent(ordered, ids, "each file once per repeat");
        CollectionAssert.AreNotEqual(ordered, ids, "mixed, not in corpus order");
        CollectionAssert.AreEqual(first, Rows(folder.File("b")), "the same order in every run");
        StringAssert.Contains(File.ReadAllText(Path.Combine(folder.File("a"), "tokens", "summary.json")), "\"files\": 12");
    }
}
