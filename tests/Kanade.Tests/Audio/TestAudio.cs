using Kanade.Audio;

namespace Kanade.Tests.Audio;

/// <summary>Makes audio files for tests through libsndfile, in formats AudioFile.Write does not offer.</summary>
internal static class TestAudio
{
    public const int Wav = 0x010000, Wavex = 0x130000, Flac = 0x170000, Ogg = 0x200000, Mpeg = 0x230000;
    public const int Pcm16 = 0x0002, Pcm24 = 0x0003, Pcm32 = 0x0004, PcmU8 = 0x0005, Float = 0x0006;
    public const int Vorbis = 0x0060, Opus = 0x0064, MpegLayer3 = 0x0082;

    /// <summary>
    /// Writes interleaved samples with libsndfile. With <paramref name="rawIntegers"/> the floats are the integer sample
    /// values themselves (libsndfile's float normalisation off), so the stored integers are exact.
    /// </summary>
    public static void Write(string path, int format, int sampleRate, int channels, float[] interleaved, bool rawIntegers = false)
    {
        var info = new SfInfo { SampleRate = sampleRate, Channels = channels, Format = format };
        nint handle = LibSndFile.Open(path, LibSndFile.ModeWrite, ref info);
        if (handle == 0) throw new InvalidOperationException($"libsndfile cannot write {path} as 0x{format:X}: {LibSndFile.StrError(0)}");
        try
        {
            if (rawIntegers) LibSndFile.SetNormalizedFloat(handle, false);
            long frames = interleaved.Length / channels;
            long written = LibSndFile.WriteFrames(handle, interleaved, channels);
            if (written != frames) throw new InvalidOperationException($"libsndfile wrote {written} of {frames} frames: {LibSndFile.StrError(handle)}");
        }
        finally { LibSndFile.Close(handle); }
    }

    /// <summary>A sine of <paramref name="hertz"/> at amplitude <paramref name="amplitude"/>, <paramref name="frames"/> long, per channel phase-shifted.</summary>
    public static float[] Sine(int frames, int channels, int sampleRate, double hertz = 440, double amplitude = 0.5)
    {
        var samples = new float[frames * channels];
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < channels; c++)
                samples[i * channels + c] = (float)(amplitude * Math.Sin(2 * Math.PI * hertz * i / sampleRate + c));
        return samples;
    }
}
