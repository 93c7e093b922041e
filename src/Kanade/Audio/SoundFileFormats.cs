// libsndfile's format codes (include/sndfile.h) and the short names Python soundfile gives them.
namespace Kanade.Audio;

/// <summary>Names of libsndfile's major formats and subtypes, as Python soundfile spells them.</summary>
internal static class SoundFileFormats
{
    static readonly Dictionary<int, string> majorNames = new()
    {
        [0x010000] = "WAV", [0x020000] = "AIFF", [0x030000] = "AU", [0x040000] = "RAW", [0x050000] = "PAF",
        [0x060000] = "SVX", [0x070000] = "NIST", [0x080000] = "VOC", [0x0A0000] = "IRCAM", [0x0B0000] = "W64",
        [0x0C0000] = "MAT4", [0x0D0000] = "MAT5", [0x0E0000] = "PVF", [0x0F0000] = "XI", [0x100000] = "HTK",
        [0x110000] = "SDS", [0x120000] = "AVR", [0x130000] = "WAVEX", [0x160000] = "SD2", [0x170000] = "FLAC",
        [0x180000] = "CAF", [0x190000] = "WVE", [0x200000] = "OGG", [0x210000] = "MPC2K", [0x220000] = "RF64",
        [0x230000] = "MP3",
    };

    static readonly Dictionary<int, string> subtypeNames = new()
    {
        [0x0001] = "PCM_S8", [0x0002] = "PCM_16", [0x0003] = "PCM_24", [0x0004] = "PCM_32", [0x0005] = "PCM_U8",
        [0x0006] = "FLOAT", [0x0007] = "DOUBLE", [0x0010] = "ULAW", [0x0011] = "ALAW", [0x0012] = "IMA_ADPCM",
        [0x0013] = "MS_ADPCM", [0x0020] = "GSM610", [0x0021] = "VOX_ADPCM", [0x0022] = "NMS_ADPCM_16",
        [0x0023] = "NMS_ADPCM_24", [0x0024] = "NMS_ADPCM_32", [0x0030] = "G721_32", [0x0031] = "G723_24",
        [0x0032] = "G723_40", [0x0040] = "DWVW_12", [0x0041] = "DWVW_16", [0x0042] = "DWVW_24", [0x0043] = "DWVW_N",
        [0x0050] = "DPCM_8", [0x0051] = "DPCM_16", [0x0060] = "VORBIS", [0x0064] = "OPUS", [0x0070] = "ALAC_16",
        [0x0071] = "ALAC_20", [0x0072] = "ALAC_24", [0x0073] = "ALAC_32", [0x0080] = "MPEG_LAYER_I",
        [0x0081] = "MPEG_LAYER_II", [0x0082] = "MPEG_LAYER_III",
    };

    /// <summary>Short name of the major format of <paramref name="format"/> (e.g. <c>WAV</c>), or its hex code.</summary>
    public static string MajorName(int format)
    {
        int major = format & LibSndFile.TypeMask;
        return majorNames.TryGetValue(major, out var name) ? name : $"0x{major:X6}";
    }

    /// <summary>Short name of the subtype of <paramref name="format"/> (e.g. <c>PCM_16</c>), or its hex code.</summary>
    public static string SubtypeName(int format)
    {
        int subtype = format & LibSndFile.SubMask;
        return subtypeNames.TryGetValue(subtype, out var name) ? name : $"0x{subtype:X4}";
    }

    /// <summary>Bytes one sample of an uncompressed subtype takes, or 0 for compressed and variable encodings.</summary>
    public static int BytesPerSample(int format) => (format & LibSndFile.SubMask) switch
    {
        0x0001 or 0x0005 or 0x0010 or 0x0011 => 1,
        0x0002 => 2,
        0x0003 => 3,
        0x0004 or 0x0006 => 4,
        0x0007 => 8,
        _ => 0,
    };
}
