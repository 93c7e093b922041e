// The RIFF/WAVE chunk walk (https://www.mmsp.ece.mcgill.ca/Documents/AudioFormats/WAVE/WAVE.html): the codec tag of the
// 'fmt ' chunk and where the 'data' chunk starts. libsndfile quietly shortens a data chunk that claims more bytes than
// the file holds; this lets AudioFile say so.
using System.Buffers.Binary;

namespace Kanade.Audio;

/// <summary>What the chunks of a RIFF/WAVE file declare.</summary>
/// <param name="FormatTag">The 'fmt ' chunk's codec tag (1 PCM, 3 IEEE float, 0xFFFE extensible...), or null if not found.</param>
/// <param name="DataOffset">Byte offset of the first sample, or null when no 'data' chunk was found.</param>
/// <param name="ClaimedBytes">The 'data' chunk's size field.</param>
/// <param name="FileLength">The file's length in bytes.</param>
internal readonly record struct WaveChunks(int? FormatTag, long? DataOffset, long ClaimedBytes, long FileLength)
{
    /// <summary>Bytes of sample data the file actually holds after <see cref="DataOffset"/>.</summary>
    public long AvailableBytes => DataOffset is long offset ? Math.Max(0, FileLength - offset) : 0;

    /// <summary>
    /// True when the header claims more data than the file holds. The sizes 0 and 0xFFFFFFFF are what streaming
    /// writers leave when they cannot seek back; they mean "up to the end of the file", not a claim.
    /// </summary>
    public bool IsTruncated => DataOffset is not null && ClaimedBytes is not (0 or 0xFFFFFFFF) && ClaimedBytes > AvailableBytes;

    /// <summary>The chunks of a RIFF/WAVE file up to its first 'data' chunk, or null when the file is not RIFF/WAVE.</summary>
    public static WaveChunks? Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        long length = stream.Length;
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, 12, throwOnEndOfStream: false) < 12) return null;
        if (!header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8)) return null;

        Span<byte> chunk = stackalloc byte[10];
        int? formatTag = null;
        long position = 12;
        // A WAV file has a handful of chunks; the bound only stops a corrupt file from making this loop long.
        for (int count = 0; count < 4096 && position + 8 <= length; count++)
        {
            stream.Position = position;
            int got = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (got < 8) break;
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (chunk[..4].SequenceEqual("fmt "u8) && got >= 10) formatTag = BinaryPrimitives.ReadUInt16LittleEndian(chunk[8..]);
            if (chunk[..4].SequenceEqual("data"u8)) return new WaveChunks(formatTag, position + 8, size, length);
            position += 8 + (long)size + (size & 1);
        }
        return new WaveChunks(formatTag, null, 0, length);
    }
}
