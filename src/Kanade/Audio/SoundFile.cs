// One open libsndfile handle: opening with clear errors, header facts, seeking and reading float frames.
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>An audio file opened for reading through libsndfile. Every failure is an <see cref="AudioFileException"/>.</summary>
internal sealed unsafe class SoundFile : IDisposable
{
    /// <summary>Frames decoded before an MP3 seek target: 16 MPEG frames of 1152 samples, beyond the reservoir's reach.</summary>
    const long MpegPrerollFrames = 16 * 1152;

    /// <summary>Frames decoded per libsndfile call; small enough for any channel count, large enough to be fast.</summary>
    const long ChunkFrames = 1 << 16;

    readonly Handle handle;
    readonly SfInfo info;
    readonly long fileLength;

    SoundFile(string path, Handle handle, SfInfo info, long fileLength)
    {
        Path = path;
        this.handle = handle;
        this.info = info;
        this.fileLength = fileLength;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Frames the header claims.</summary>
    public long Frames => info.Frames;

    /// <summary>Channels.</summary>
    public int Channels => info.Channels;

    /// <summary>libsndfile's format code (major format | subtype).</summary>
    public int Format => info.Format;

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate => info.SampleRate;

    /// <summary>
    /// Opens <paramref name="path"/>: checks that it is a non-empty file, lets libsndfile parse the header and, for WAV,
    /// checks that the data chunk is as long as the header says.
    /// </summary>
    public static SoundFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new AudioFileException(path, "is a directory, not an audio file.");
        FileInfo file;
        try { file = new FileInfo(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        { throw new AudioFileException(path, $"is not a valid path ({e.Message}).", e); }
        if (!file.Exists) throw new AudioFileException(path, "does not exist.", new FileNotFoundException(null, path));
        if (file.Length == 0) throw new AudioFileException(path, "is empty (0 bytes).");

        LibSndFile.EnsureLoaded();
        var info = new SfInfo();
        nint pointer = LibSndFile.Open(path, LibSndFile.ModeRead, ref info);
        if (pointer == 0) throw SoundFileDiagnostics.OpenFailure(path, file.Length);
        var handle = new Handle(pointer);
        try
        {
            // libsndfile reports SF_COUNT_MAX when it cannot find the length, e.g. an Ogg stream cut before its last page.
            if (info.Frames == long.MaxValue)
                throw new AudioFileException(path,
                    "does not reveal its length (libsndfile cannot find the end of the stream): the file is probably truncated.");
            if (info.Channels <= 0 || info.SampleRate <= 0 || info.Frames < 0)
                throw new AudioFileException(path,
                    $"has an invalid header: {info.Channels} channels, {info.SampleRate} Hz, {info.Frames} frames.");
            var result = new SoundFile(path, handle, info, file.Length);
            result.CheckWaveDataLength();
            return result;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The header's facts, with libsndfile's names for the format.</summary>
    public AudioInfo Describe() => new()
    {
        Path = Path,
        Frames = Frames,
        SampleRate = SampleRate,
        Channels = Channels,
        Format = SoundFileFormats.MajorName(Format),
        Subtype = SoundFileFormats.SubtypeName(Format),
        FormatDescription = LibSndFile.FormatDescription(Format & LibSndFile.TypeMask) ?? SoundFileFormats.MajorName(Format),
        SubtypeDescription = LibSndFile.FormatDescription(Format & LibSndFile.SubMask) ?? SoundFileFormats.SubtypeName(Format),
    };

    /// <summary>
    /// Decodes <paramref name="count"/> frames starting at frame <paramref name="offset"/> (both within the file) as
    /// (channels, count) float32 on the CPU, libsndfile's float conversion (int16/32768, int24/2^23, int32/2^31).
    /// </summary>
    public Tensor Read(long offset, long count)
    {
        using var scope = NewDisposeScope();
        if (offset > 0) SeekTo(offset);

        // The header's frame count is not trusted for allocation: a corrupt header may claim terabytes.
        long capacity = Math.Min(count, PlausibleFrames());
        var frames = torch.empty([capacity, Channels], float32);     // (frames, channels), libsndfile's interleaving
        long done = 0;
        while (done < count)
        {
            if (done == capacity)
            {
                capacity = Math.Min(count, capacity * 2);
                var larger = torch.empty([capacity, Channels], float32);
                larger.narrow(0, 0, done).copy_(frames);
                frames.Dispose();
                frames = larger;
            }
            long wanted = Math.Min(capacity - done, ChunkFrames);
            using var chunk = frames.narrow(0, done, wanted);
            long got;
            fixed (byte* destination = chunk.bytes) got = LibSndFile.ReadFrames(handle.Value, (float*)destination, wanted);
            if (got <= 0) break;
            done += got;
        }
        if (done < count)
        {
            int code = LibSndFile.Error(handle.Value);
            string reason = code != 0 ? $" (libsndfile: {LibSndFile.StrError(handle.Value)})" : "";
            throw new AudioFileException(Path,
                $"the header claims {Frames} frames, but decoding stopped after {offset + done}{reason}: the file is truncated or corrupt.");
        }
        var result = frames.t().contiguous();                          // (frames, channels) -> (channels, frames)
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Positions the decoder at <paramref name="offset"/> by seeking, except where libsndfile's seek is not sample-exact:
    /// <list type="bullet">
    /// <item>MP3 frames borrow bits from up to ~9 earlier frames (the bit reservoir) and libsndfile's MPEG seek does not
    /// decode them, so the first thousands of samples after a direct seek are wrong; seeking
    /// <see cref="MpegPrerollFrames"/> earlier and decoding forward gives the samples a full decode gives.</item>
    /// <item>libsndfile's Ogg/Vorbis seek can land a lapped block (128 or more samples) off target (libsndfile issue
    /// #885), so Vorbis is decoded from the start.</item>
    /// </list>
    /// </summary>
    void SeekTo(long offset)
    {
        long start = (Format & LibSndFile.SubMask) == LibSndFile.FormatVorbis ? 0
            : (Format & LibSndFile.TypeMask) == LibSndFile.FormatMpeg ? Math.Max(0, offset - MpegPrerollFrames)
            : offset;
        if (start > 0 && LibSndFile.Seek(handle.Value, start) != start)
            throw new AudioFileException(Path, $"could not seek to frame {start} of {Frames} ({LibSndFile.StrError(handle.Value).Trim()}).");
        long skip = offset - start;
        if (skip == 0) return;
        using var discard = torch.empty([Math.Min(skip, ChunkFrames), Channels], float32);
        while (skip > 0)
        {
            long wanted = Math.Min(skip, ChunkFrames);
            long got;
            fixed (byte* destination = discard.bytes) got = LibSndFile.ReadFrames(handle.Value, (float*)destination, wanted);
            if (got <= 0)
                throw new AudioFileException(Path, $"the header claims {Frames} frames, but decoding stopped before frame {offset - skip}: the file is truncated or corrupt.");
            skip -= got;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => handle.Dispose();

    /// <summary>An upper bound on frames worth allocating before decoding proves them: 256 floats per byte of file, plus 64 MiB.</summary>
    long PlausibleFrames() => Math.Max(1, (fileLength * 256 + (16L << 20)) / Channels);

    void CheckWaveDataLength()
    {
        int major = Format & LibSndFile.TypeMask;
        if (major != LibSndFile.FormatWav && major != LibSndFile.FormatWavex) return;
        if (SoundFileDiagnostics.ReadWaveChunks(Path) is not WaveChunks data) return;
        // libsndfile reports an empty file when the header ends before a 'data' chunk; a WAV file always has one.
        if (data.DataOffset is null && Frames == 0)
            throw new AudioFileException(Path,
                $"has no complete 'data' chunk in its {fileLength} bytes: the file is truncated inside its header.");
        if (!data.IsTruncated) return;
        int frameBytes = SoundFileFormats.BytesPerSample(Format) * Channels;
        string frames = frameBytes > 0
            ? $" ({data.ClaimedBytes / frameBytes} frames, but {data.AvailableBytes / frameBytes} are there)"
            : "";
        throw new AudioFileException(Path,
            $"the WAV header claims {data.ClaimedBytes} bytes of sample data, but the file ends {data.AvailableBytes} bytes after " +
            $"the header{frames}: the file is truncated or its header is wrong.");
    }

    /// <summary>Owns the SNDFILE pointer and closes it exactly once.</summary>
    sealed class Handle : SafeHandle
    {
        public Handle(nint pointer) : base(0, ownsHandle: true) => SetHandle(pointer);

        public nint Value => handle;

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle() => LibSndFile.Close(handle) == 0;
    }
}
