// Writes WAV files through libsndfile, into a temporary file that replaces the target only once complete.
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>WAV writing for <see cref="AudioFile.Write"/>.</summary>
internal static unsafe class WaveWriter
{
    const long ChunkFrames = 1 << 16;

    /// <summary>Writes (frames, channels) float32 CPU samples, already validated, to <paramref name="path"/>.</summary>
    public static void Write(string path, Tensor interleaved, int sampleRate, AudioEncoding encoding)
    {
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        if (Directory.Exists(fullPath)) throw new AudioFileException(path, "is a directory; cannot write a WAV file there.");
        if (!Directory.Exists(folder)) throw new AudioFileException(path, $"cannot be written: the folder '{folder}' does not exist.");

        long frames = interleaved.shape[0];
        int channels = (int)interleaved.shape[1];
        int bytesPerSample = encoding == AudioEncoding.Pcm16 ? 2 : 4;
        // RIFF sizes are 32-bit; leave room for the header and libsndfile's PEAK chunk.
        if (frames * channels * bytesPerSample > uint.MaxValue - (1L << 16))
            throw new ArgumentException(
                $"{frames} frames x {channels} channels of {encoding} exceed the 4 GiB a WAV file can hold; write shorter pieces.",
                nameof(interleaved));

        LibSndFile.EnsureLoaded();
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var info = new SfInfo
            {
                SampleRate = sampleRate,
                Channels = channels,
                Format = LibSndFile.FormatWav | (encoding == AudioEncoding.Pcm16 ? LibSndFile.FormatPcm16 : LibSndFile.FormatFloat),
            };
            nint handle = LibSndFile.Open(temporary, LibSndFile.ModeWrite, ref info);
            if (handle == 0)
                throw new AudioFileException(path, $"cannot be written (libsndfile: {LibSndFile.StrError(0).Trim()}).");
            bool written = false;
            try
            {
                WriteFrames(path, handle, interleaved, encoding);
                written = true;
            }
            finally
            {
                int closed = LibSndFile.Close(handle);
                if (written && closed != 0)
                    throw new AudioFileException(path, $"could not be completed: libsndfile failed to close it (error {closed}).");
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            if (e is AudioFileException) throw;
            throw new AudioFileException(path, $"cannot be written: {e.Message}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    static void WriteFrames(string path, nint handle, Tensor interleaved, AudioEncoding encoding)
    {
        long frames = interleaved.shape[0];
        for (long start = 0; start < frames; start += ChunkFrames)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(ChunkFrames, frames - start);
            var chunk = interleaved.narrow(0, start, count);                                   // (count, channels)
            long written;
            if (encoding == AudioEncoding.Pcm16)
            {
                // Scale by 32768, the inverse of the reading convention (int16 / 32768), rather than libsndfile's 32767.
                var quantised = (chunk * 32768.0).round().clamp(-32768, 32767).to(int16).contiguous();
                fixed (byte* source = quantised.bytes) written = LibSndFile.WriteFrames(handle, (short*)source, count);
            }
            else
            {
                var contiguous = chunk.contiguous();
                fixed (byte* source = contiguous.bytes) written = LibSndFile.WriteFrames(handle, (float*)source, count);
            }
            if (written != count)
                throw new AudioFileException(path,
                    $"could not be written: libsndfile wrote {written} of {count} frames ({LibSndFile.StrError(handle).Trim()}).");
        }
    }

    static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
