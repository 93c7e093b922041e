using Kanade.IO.Hub;

namespace Kanade.Tests.Hub;

[TestClass]
public sealed class HubRepoIdTests
{
    [TestMethod]
    public void Parse_WithoutRevision_MeansMain()
    {
        var id = HubRepoId.Parse("frothywater/kanade-12.5hz");

        Assert.AreEqual("frothywater/kanade-12.5hz", id.RepoId);
        Assert.AreEqual("main", id.Revision);
        Assert.AreEqual("models--frothywater--kanade-12.5hz", id.FolderName);
        Assert.AreEqual("frothywater/kanade-12.5hz", id.ToString());
    }

    [TestMethod]
    [DataRow("frothywater/kanade-25hz@v1.0", "v1.0", false)]
    [DataRow("frothywater/kanade-25hz@refs/pr/3", "refs/pr/3", false)]
    [DataRow("frothywater/kanade-25hz@0123456789abcdef0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567", true)]
    public void Parse_WithRevision_KeepsItAndKnowsCommits(string text, string revision, bool isCommit)
    {
        var id = HubRepoId.Parse(text);

        Assert.AreEqual("frothywater/kanade-25hz", id.RepoId);
        Assert.AreEqual(revision, id.Revision);
        Assert.AreEqual(isCommit, id.IsCommit);
        Assert.AreEqual(text, id.ToString());
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("a/b/c")]
    [DataRow("org--x/name")]
    [DataRow("org/na..me")]
    [DataRow("-org/name")]
    [DataRow("org/name.")]
    [DataRow("org/na me")]
    public void Parse_MalformedId_ThrowsWithAnExample(string text)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => HubRepoId.Parse(text));
        StringAssert.Contains(error.Message, "expected 'org/name' or 'org/name@revision'");
    }

    [TestMethod]
    [DataRow("org/name@")]
    [DataRow("org/name@../../etc")]
    [DataRow("org/name@/abs")]
    public void Parse_RevisionThatCouldLeaveTheCache_IsRefused(string text)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => HubRepoId.Parse(text));
        StringAssert.Contains(error.Message, "is not a usable revision of 'org/name'");
    }

    [TestMethod]
    [DataRow("../secrets")]
    [DataRow("/etc/passwd")]
    [DataRow("a//b")]
    public void FileNameThatCouldLeaveTheSnapshot_IsRefused(string file)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => HubFileName.Validate(file));
        StringAssert.Contains(error.Message, "is not a file name inside a repository");
    }

    [TestMethod]
    public void FileUrl_EncodesTheRevisionWholeAndTheFileByParts()
    {
        var settings = new HubSettings { HomeDirectory = "/tmp/hf", CacheDirectory = "/tmp/hf/hub" };
        using var hub = new HubClient(settings);

        Uri url = hub.FileUrl(HubRepoId.Parse("org/name@refs/pr/3"), "sub dir/model.bin");

        Assert.AreEqual("https://huggingface.co/org/name/resolve/refs%2Fpr%2F3/sub%20dir/model.bin", url.AbsoluteUri);
    }
}
