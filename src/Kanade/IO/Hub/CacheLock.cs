// An exclusive lock on a file, so two processes (this one or huggingface_hub's filelock) never write one blob at once.
namespace Kanade.IO.Hub;

/// <summary>
/// Holds a lock file open with <see cref="FileShare.None"/>, which .NET maps to <c>flock(LOCK_EX)</c> on Unix: the
/// same advisory lock Python's <c>filelock</c> takes on huggingface_hub's <c>.locks/</c> files.
/// </summary>
sealed class CacheLock : IDisposable
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    readonly FileStream stream;

    CacheLock(FileStream stream) => this.stream = stream;

    /// <summary>Waits for the lock at <paramref name="path"/>, up to <paramref name="timeout"/>.</summary>
    /// <exception cref="HubException">Another process held it for longer than <paramref name="timeout"/>.</exception>
    public static async Task<CacheLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var started = DateTime.UtcNow;
        while (true)
        {
            try
            {
                return new CacheLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow - started < timeout)
            {
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new HubException($"Another download has held '{path}' for more than {timeout.TotalMinutes:0} minutes; " +
                                       "wait for it to finish, or end it and try again.", inner: e);
            }
        }
    }

    /// <summary>Releases the lock (the file stays, as huggingface_hub's do, so no second lock file can appear beside a held one).</summary>
    public void Dispose() => stream.Dispose();
}
