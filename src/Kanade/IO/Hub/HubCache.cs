// The Hugging Face hub cache layout of huggingface_hub's file_download.py, so files downloaded by Python are reused and vice versa.
namespace Kanade.IO.Hub;

/// <summary>
/// The hub cache (<c>HF_HUB_CACHE</c>): per repository a folder <c>models--org--name</c> holding
/// <c>blobs/&lt;etag&gt;</c> (file contents, named by git sha1 or LFS sha256), <c>snapshots/&lt;commit&gt;/&lt;file&gt;</c>
/// (relative symbolic links into <c>blobs</c>, or copies where links are not possible) and <c>refs/&lt;revision&gt;</c>
/// (the commit a branch or tag pointed at when last resolved). Locks live under <c>.locks/models--org--name/</c>.
/// </summary>
public sealed class HubCache
{
    /// <summary>The cache folder itself.</summary>
    public string Directory { get; }

    /// <summary>A cache rooted at <paramref name="directory"/> (created when first written to).</summary>
    public HubCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The folder of one repository: <c>&lt;cache&gt;/models--org--name</c>.</summary>
    public string RepoFolder(HubRepoId repo) => Path.Combine(Directory, repo.FolderName);

    /// <summary>Where the contents with hub ETag <paramref name="etag"/> are kept.</summary>
    public string BlobPath(HubRepoId repo, string etag) => Path.Combine(RepoFolder(repo), "blobs", etag);

    /// <summary>Where <paramref name="file"/> of <paramref name="commit"/> appears.</summary>
    public string SnapshotPath(HubRepoId repo, string commit, string file) =>
        Path.Combine([RepoFolder(repo), "snapshots", commit, .. HubFileName.Segments(file)]);

    /// <summary>The file holding the commit a branch or tag was last resolved to.</summary>
    public string RefPath(HubRepoId repo, string revision) => Path.Combine([RepoFolder(repo), "refs", .. revision.Split('/')]);

    /// <summary>The lock file guarding the download of one blob (shared with huggingface_hub).</summary>
    public string LockPath(HubRepoId repo, string etag) => Path.Combine(Directory, ".locks", repo.FolderName, etag + ".lock");

    /// <summary>The commit <paramref name="repo"/>'s revision is known to be: the revision itself when it is a commit, else what <c>refs/</c> holds, else null.</summary>
    public string? ResolveCommit(HubRepoId repo)
    {
        if (repo.IsCommit) return repo.Revision;
        string path = RefPath(repo, repo.Revision);
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } commit ? commit : null;
        }
        catch (IOException) { return null; }
    }

    /// <summary>The cached copy of <paramref name="file"/> at <paramref name="repo"/>'s revision, or null (no network is used).</summary>
    public string? TryGetCached(HubRepoId repo, string file)
    {
        HubFileName.Validate(file);
        return ResolveCommit(repo) is { } commit && IsUsableFile(SnapshotPath(repo, commit, file)) ? SnapshotPath(repo, commit, file) : null;
    }

    /// <summary>Records that <paramref name="repo"/>'s revision (a branch or tag) is <paramref name="commit"/>.</summary>
    public void WriteRef(HubRepoId repo, string commit)
    {
        if (repo.Revision == commit) return;
        string path = RefPath(repo, repo.Revision);
        // Rewrite only on change: a cache shared read-only must keep working while the ref is current.
        if (File.Exists(path) && File.ReadAllText(path).Trim() == commit) return;
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, commit);
    }

    /// <summary>
    /// Makes <paramref name="snapshotPath"/> point at <paramref name="blobPath"/>: a relative symbolic link where the file
    /// system allows one, else a copy of the blob (or, for a blob written just now, the blob moved there).
    /// </summary>
    public static void LinkSnapshot(string blobPath, string snapshotPath, bool newBlob)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(snapshotPath)!);
        if (File.Exists(snapshotPath) || new FileInfo(snapshotPath).LinkTarget is not null) File.Delete(snapshotPath);
        string relative = Path.GetRelativePath(Path.GetDirectoryName(snapshotPath)!, blobPath);
        try
        {
            File.CreateSymbolicLink(snapshotPath, relative);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            if (newBlob) File.Move(blobPath, snapshotPath);
            else File.Copy(blobPath, snapshotPath);
        }
    }

    /// <summary>Whether <paramref name="path"/> is a file, or a link whose final target is one (a dangling link is not).</summary>
    public static bool IsUsableFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return false;
        if (info.LinkTarget is null) return true;
        try
        {
            return info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true };
        }
        catch (IOException) { return false; }
    }
}
