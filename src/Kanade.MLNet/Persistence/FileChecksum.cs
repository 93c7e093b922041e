// SHA-256 of model files, as lower-case hex.
using System.Security.Cryptography;

namespace Kanade.MLNet.Persistence;

/// <summary>Hashes files for the checksummed references of saved pipelines and Parquet metadata.</summary>
internal static class FileChecksum
{
    /// <summary>SHA-256 of <paramref name="path"/>'s bytes, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"File '{path}' does not exist.", path);
        // A large buffer: weights files run to hundreds of MB, and SHA256.HashData reads in small pieces.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Throws when <paramref name="path"/>'s SHA-256 is not <paramref name="expected"/>.</summary>
    public static void Verify(string path, string expected, string what)
    {
        string actual = Sha256(path);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"The {what} '{path}' has SHA-256 {actual}, but the saved pipeline was made with a file of SHA-256 {expected}. " +
                "Put the original file there, or rebuild and save the pipeline with this one.");
    }
}
