using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace Kanade.MLNet.Tests.Notebooks;

[TestClass]
public sealed class NotebookFolderTests
{
    /// <summary>The notebooks that a test class here runs.</summary>
    static readonly string[] Tested = ["demo.ipynb", "tokenize-corpus.ipynb", "train.ipynb"];

    [TestMethod]
    public void EveryNotebookInTheFolderIsRunByATest() =>
        CollectionAssert.AreEquivalent(Tested, Directory.GetFiles(NotebookFixture.Folder, "*.ipynb").Select(Path.GetFileName).ToArray());

    [TestMethod]
    public void NotebooksAreSavedAsCSharpWithoutOutputs()
    {
        foreach (string name in Tested)
        {
            using var stream = File.OpenRead(NotebookFixture.Notebook(name));
            var document = Notebook.Read(stream, new KernelInfoCollection { new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp") });
            var code = document.Elements.Where(e => e.KernelName != "markdown").ToList();
            Assert.IsNotEmpty(code, name);
            Assert.IsTrue(code.All(e => e.KernelName == "csharp"), $"{name}: cells of kernels {string.Join(", ", code.Select(e => e.KernelName).Distinct())}, expected csharp only");
            Assert.IsTrue(code.All(e => e.Outputs.Count == 0), $"{name}: saved without outputs (clear them before committing)");
        }
    }
}
