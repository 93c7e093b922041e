// Explanations for audio files libsndfile refuses: its error, plus what the file's first bytes reveal.
namespace Kanade.Audio;

/// <summary>Builds the messages of <see cref="AudioFileException"/> for files libsndfile cannot open.</summary>
internal static class SoundFileDiagnostics
{
    /// <summary>WAVE format tags libsndfile decodes: PCM, MS ADPCM, float, A-law, mu-law, IMA ADPCM, GSM 6.10, G.721, MPEG, extensible.</summary>
    static readonly HashSet<int> DecodableWaveTags = [0x0001, 0x0002, 0x0003, 0x0006, 0x0007, 0x0011, 0x0031, 0x0040, 0x0050, 0x0055, 0xFFFE];

    /// <summary>The chunks of a RIFF/WAVE file (null when it is not one); I/O failures become <see cref="AudioFileException"/>.</summary>
    public static WaveChunks? ReadWaveChunks(string path)
    {
        try { return WaveChunks.Read(path); }
        catch (IOException e) { throw new AudioFileException(path, $"could not be read: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new AudioFileException(path, $"could not be read: {e.Message}", e); }
    }

    /// <summary>The exception for a failed <c>sf_open</c>: libsndfile's reason plus what the file's first bytes reveal.</summary>
    public static AudioFileException OpenFailure(string path, long length)
    {
        int code = LibSndFile.Error(0);
        string said = $"libsndfile: \"{LibSndFile.StrError(0).Trim().TrimEnd('.')}\"; {length} bytes";
        string problem = code switch
        {
            LibSndFile.ErrorUnrecognisedFormat =>
                $"is not in an audio format libsndfile can read ({said}). Readable formats include WAV, FLAC, OGG/Vorbis, " +
                "Opus, MP3, AIFF and CAF" + (LooksLikeText(path) ? "; this file looks like text." : "."),
            LibSndFile.ErrorUnsupportedEncoding => $"uses an encoding libsndfile cannot decode ({said}).",
            LibSndFile.ErrorMalformedFile => $"is malformed or truncated ({said}).",
            LibSndFile.ErrorSystem => $"could not be opened ({said}).",
            _ => $"could not be decoded ({said}).",
        };
        string extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".wav" or ".wave" && !StartsWith(path, "RIFF"u8) && !StartsWith(path, "RF64"u8))
            problem += " It is named .wav but does not start with a RIFF header.";
        if (ReadWaveChunks(path) is { FormatTag: int tag } && !DecodableWaveTags.Contains(tag))
            problem += $" Its fmt chunk declares WAVE codec 0x{tag:X4}, which libsndfile does not decode.";
        return new AudioFileException(path, problem);
    }

    static bool StartsWith(string path, ReadOnlySpan<byte> magic)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[magic.Length];
            return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual(magic);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    static bool LooksLikeText(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var head = new byte[512];
            int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return n > 0 && head.AsSpan(0, n).IndexOfAnyExceptInRange((byte)0x09, (byte)0x7E) < 0;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
