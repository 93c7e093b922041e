// CRC-32C (Castagnoli; TFRecord framing) and CRC-32 (IEEE; PNG chunks), table-driven.
namespace Kanade.Training.Logging;

/// <summary>The two CRCs the log files need.</summary>
static class Crc32
{
    static readonly uint[] castagnoli = Table(0x82F63B78u);
    static readonly uint[] ieee = Table(0xEDB88320u);

    /// <summary>CRC-32C of <paramref name="data"/>.</summary>
    public static uint Castagnoli(ReadOnlySpan<byte> data) => Compute(castagnoli, 0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;

    /// <summary>TFRecord's masked CRC-32C: the CRC rotated right by 15 bits plus 0xa282ead8.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Castagnoli(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
    }

    /// <summary>Continues an IEEE CRC-32 (start with 0xFFFFFFFF, finish by xor with 0xFFFFFFFF).</summary>
    public static uint Ieee(uint state, ReadOnlySpan<byte> data) => Compute(ieee, state, data);

    static uint Compute(uint[] table, uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    static uint[] Table(uint polynomial)
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? polynomial ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
