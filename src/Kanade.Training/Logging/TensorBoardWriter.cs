// Writes TensorBoard event files (the tfevents format: TFRecord-framed Event protos) without TensorFlow or protobuf.
using System.Buffers.Binary;

namespace Kanade.Training.Logging;

/// <summary>
/// A TensorBoard event file: scalars, images (PNG) and audio (WAV) with 64-bit steps and sub-second wall times.
/// TorchSharp's <c>SummaryWriter</c> has no audio, takes 32-bit steps and needs SkiaSharp's native library for
/// images, so the format is written here directly: each record is a little-endian length, its masked CRC-32C,
/// the serialized <c>Event</c> and its masked CRC-32C. Not thread-safe.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    static int counter;
    readonly FileStream stream;

    /// <summary>Creates <c>events.out.tfevents.TIME.HOST.PID.N</c> in <paramref name="logDirectory"/> (made if needed).</summary>
    public TensorBoardWriter(string logDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDirectory);
        Directory.CreateDirectory(logDirectory);
        long seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string name = $"events.out.tfevents.{seconds}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref counter)}";
        FilePath = Path.Combine(logDirectory, name);
        stream = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        WriteEvent(new ProtoWriter().Double(1, WallTime()).String(3, "brain.Event:2"));
        Flush();
    }

    /// <summary>The event file.</summary>
    public string FilePath { get; }

    /// <summary>Logs a scalar (TensorBoard's <c>simple_value</c>).</summary>
    public void AddScalar(string tag, double value, long step) =>
        WriteSummary(step, new ProtoWriter().String(1, tag).Float(2, (float)value));

    /// <summary>Logs several scalars at one step.</summary>
    public void AddScalars(IEnumerable<KeyValuePair<string, double>> values, long step)
    {
        foreach (var (tag, value) in values) AddScalar(tag, value, step);
    }

    /// <summary>Logs an RGB image given as rows of (r, g, b) bytes, top row first.</summary>
    /// <exception cref="ArgumentException">The pixel count does not match width x height x 3.</exception>
    public void AddImage(string tag, ReadOnlySpan<byte> rgb, int width, int height, long step)
    {
        var image = new ProtoWriter().Varint(1, height).Varint(2, width).Varint(3, 3).Bytes(4, PngEncoder.EncodeRgb(rgb, width, height));
        WriteSummary(step, new ProtoWriter().String(1, tag).Message(4, image));
    }

    /// <summary>Logs mono audio (samples in [-1, 1], clipped) as 16-bit WAV.</summary>
    public void AddAudio(string tag, ReadOnlySpan<float> samples, int sampleRate, long step)
    {
        var audio = new ProtoWriter().Float(1, sampleRate).Varint(2, 1).Varint(3, samples.Length)
            .Bytes(4, WavEncoder.EncodePcm16(samples, sampleRate)).String(5, "audio/wav");
        WriteSummary(step, new ProtoWriter().String(1, tag).Message(6, audio));
    }

    /// <summary>Logs text (TensorBoard's text plugin reads a string tensor).</summary>
    public void AddText(string tag, string text, long step)
    {
        var pluginData = new ProtoWriter().String(1, "text");
        var metadata = new ProtoWriter().Message(1, pluginData);
        var shape = new ProtoWriter().Message(2, new ProtoWriter().Varint(1, 1));
        var tensor = new ProtoWriter().Varint(1, 7 /* DT_STRING */).Message(2, shape).Bytes(8, System.Text.Encoding.UTF8.GetBytes(text));
        WriteSummary(step, new ProtoWriter().String(1, tag).Message(9, metadata).Message(8, tensor));
    }

    /// <summary>Writes buffered events to the disk.</summary>
    public void Flush() => stream.Flush(flushToDisk: false);

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        stream.Flush();
        stream.Dispose();
    }

    void WriteSummary(long step, ProtoWriter value)
    {
        var summary = new ProtoWriter().Message(1, value);
        WriteEvent(new ProtoWriter().Double(1, WallTime()).Varint(2, step).Message(5, summary));
    }

    void WriteEvent(ProtoWriter evnt)
    {
        byte[] data = evnt.ToArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32.Masked(header[..8]));
        stream.Write(header);
        stream.Write(data);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32.Masked(data));
        stream.Write(footer);
    }

    static double WallTime() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
