// Reads TensorBoard event files back (the format TensorBoardWriter writes), for tests and tools.
using System.Buffers.Binary;
using System.Text;

namespace Kanade.Training.Logging;

/// <summary>What one summary value of an event file holds.</summary>
public enum TensorBoardValueKind
{
    /// <summary>A scalar (<c>simple_value</c>).</summary>
    Scalar,
    /// <summary>An encoded image.</summary>
    Image,
    /// <summary>Encoded audio.</summary>
    Audio,
    /// <summary>A tensor (e.g. text).</summary>
    Tensor,
}

/// <summary>One tagged value of an event file.</summary>
/// <param name="Step">The event's step.</param>
/// <param name="WallTime">Seconds since the Unix epoch.</param>
/// <param name="Tag">The value's tag.</param>
/// <param name="Kind">What the value holds.</param>
/// <param name="Scalar">The scalar, for <see cref="TensorBoardValueKind.Scalar"/>.</param>
/// <param name="Encoded">PNG or WAV bytes for images and audio.</param>
public sealed record TensorBoardValue(long Step, double WallTime, string Tag, TensorBoardValueKind Kind, float? Scalar, byte[]? Encoded);

/// <summary>Reads the summary values of a tfevents file, checking every record's CRCs.</summary>
public static class TensorBoardEvents
{
    /// <summary>Every summary value in <paramref name="path"/>, in file order.</summary>
    /// <exception cref="InvalidDataException">A record is truncated or fails its CRC; the message gives the offset.</exception>
    public static IReadOnlyList<TensorBoardValue> Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new List<TensorBoardValue>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 12) throw new InvalidDataException($"'{path}': truncated record header at byte {offset}.");
            var header = bytes.AsSpan(offset, 12);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != Crc32.Masked(header[..8]))
                throw new InvalidDataException($"'{path}': bad length CRC at byte {offset}.");
            if ((ulong)(bytes.Length - offset - 16) < length) throw new InvalidDataException($"'{path}': truncated record at byte {offset}.");
            var data = bytes.AsSpan(offset + 12, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + (int)length)) != Crc32.Masked(data))
                throw new InvalidDataException($"'{path}': bad data CRC at byte {offset}.");
            ReadEvent(data, values);
            offset += 16 + (int)length;
        }
        return values;
    }

    static void ReadEvent(ReadOnlySpan<byte> data, List<TensorBoardValue> values)
    {
        double wallTime = 0;
        long step = 0;
        var summaries = new List<byte[]>();
        foreach (var field in Fields(data.ToArray()))
        {
            switch (field.Number)
            {
                case 1: wallTime = BitConverter.Int64BitsToDouble((long)field.Fixed); break;
                case 2: step = (long)field.Varint; break;
                case 5: summaries.Add(field.Bytes!); break;
            }
        }
        foreach (var summary in summaries)
            foreach (var value in Fields(summary).Where(f => f.Number == 1))
                values.Add(ReadValue(value.Bytes!, step, wallTime));
    }

    static TensorBoardValue ReadValue(byte[] value, long step, double wallTime)
    {
        string tag = "";
        var kind = TensorBoardValueKind.Tensor;
        float? scalar = null;
        byte[]? encoded = null;
        foreach (var field in Fields(value))
        {
            switch (field.Number)
            {
                case 1: tag = Encoding.UTF8.GetString(field.Bytes!); break;
                case 2: kind = TensorBoardValueKind.Scalar; scalar = BitConverter.Int32BitsToSingle((int)field.Fixed); break;
                case 4: kind = TensorBoardValueKind.Image; encoded = Fields(field.Bytes!).First(f => f.Number == 4).Bytes; break;
                case 6: kind = TensorBoardValueKind.Audio; encoded = Fields(field.Bytes!).First(f => f.Number == 4).Bytes; break;
            }
        }
        return new TensorBoardValue(step, wallTime, tag, kind, scalar, encoded);
    }

    readonly record struct Field(int Number, ulong Varint, ulong Fixed, byte[]? Bytes);

    static List<Field> Fields(byte[] data)
    {
        var fields = new List<Field>();
        int i = 0;
        while (i < data.Length)
        {
            ulong key = ReadVarint(data, ref i);
            int number = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0: fields.Add(new Field(number, ReadVarint(data, ref i), 0, null)); break;
                case 1: fields.Add(new Field(number, 0, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(i)), null)); i += 8; break;
                case 2:
                    int length = (int)ReadVarint(data, ref i);
                    fields.Add(new Field(number, 0, 0, data.AsSpan(i, length).ToArray()));
                    i += length;
                    break;
                case 5: fields.Add(new Field(number, 0, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i)), null)); i += 4; break;
                default: throw new InvalidDataException($"Unsupported protobuf wire type {key & 7} in an event.");
            }
        }
        return fields;
    }

    static ulong ReadVarint(byte[] data, ref int i)
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[i++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }
}
