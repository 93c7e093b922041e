using System.Security.Cryptography;

namespace Kanade.Cli.Infrastructure;

/// <summary>SHA-256 of files, for job records and output metadata.</summary>
internal static class FileHash
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="path"/>'s bytes.</summary>
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
