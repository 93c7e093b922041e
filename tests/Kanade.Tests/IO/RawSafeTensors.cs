using System.Text;

namespace Kanade.Tests.IO;

/// <summary>Writes safetensors files byte by byte, so tests can make malformed ones.</summary>
public static class RawSafeTensors
{
    /// <summary>Writes the 8-byte length (or <paramref name="claimedHeaderLength"/>), the header text and the data.</summary>
    public static string Write(string path, string headerJson, byte[] data, ulong? claimedHeaderLength = null)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes(claimedHeaderLength ?? (ulong)header.Length));
        stream.Write(header);
        stream.Write(data);
        return path;
    }

    /// <summary>Float32 values as little-endian bytes.</summary>
    public static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}
