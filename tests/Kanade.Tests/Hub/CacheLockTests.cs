using Kanade.IO.Hub;

namespace Kanade.Tests.Hub;

[TestClass]
public sealed class CacheLockTests
{
    [TestMethod]
    public async Task HeldLock_KeepsASecondHolderOutUntilReleased()
    {
        using var dir = new TempDirectory();
        string path = dir.File(Path.Combine(".locks", "models--a--b", "blob.lock"));
        var first = await CacheLock.AcquireAsync(path, TimeSpan.FromSeconds(1), CancellationToken.None);

        var error = await Assert.ThrowsExactlyAsync<HubException>(() => CacheLock.AcquireAsync(path, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        StringAssert.Contains(error.Message, path);

        first.Dispose();
        using var second = await CacheLock.AcquireAsync(path, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.IsTrue(File.Exists(path));
    }
}
