// Validates a safetensors header the way the format's reference implementation does, but names the file and entry.
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Kanade.IO;

/// <summary>Reads and checks the 8-byte length and the JSON header of a safetensors file.</summary>
internal static class SafeTensorsHeaderParser
{
    /// <summary>The format's own reader refuses headers above 100 MB; a length beyond that is corruption, not a header.</summary>
    public const long MaxHeaderLength = 100_000_000;

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static SafeTensorsHeader Read(SafeFileHandle handle, string path)
    {
        long fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
            throw Error(path, $"the file is {fileLength} bytes long, shorter than the 8-byte header length that opens every safetensors file");
        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(handle, lengthBytes, 0, path);
        ulong headerLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw Error(path, $"the header length {headerLength} runs past the end of the file ({fileLength} bytes, so at most {fileLength - 8})");
        if (headerLength > MaxHeaderLength)
            throw Error(path, $"the header length {headerLength} exceeds the format's limit of {MaxHeaderLength} bytes");
        if (headerLength < 2)
            throw Error(path, $"the header length {headerLength} is too short for a JSON object");

        var headerBytes = new byte[headerLength];
        ReadExactly(handle, headerBytes, 8, path);
        long dataOffset = 8 + (long)headerLength;
        return Parse(headerBytes, path, dataOffset, fileLength - dataOffset);
    }

    public static SafeTensorsHeader Parse(byte[] headerBytes, string path, long dataOffset, long dataLength)
    {
        if (headerBytes[0] != (byte)'{')
            throw Error(path, $"the header does not start with '{{' (found byte 0x{headerBytes[0]:X2})");
        string json;
        try { json = StrictUtf8.GetString(headerBytes); }
        catch (DecoderFallbackException e) { throw Error(path, $"the header is not valid UTF-8 ({e.Message})"); }

        JsonDocument document;
        try { document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e) { throw Error(path, $"the header is not valid JSON: {e.Message}"); }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Error(path, $"the header is a JSON {document.RootElement.ValueKind}, not an object");

            var names = new HashSet<string>(StringComparer.Ordinal);
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                    throw Error(path, $"the header names '{property.Name}' twice");
                if (property.Name == "__metadata__")
                    ReadMetadata(property.Value, metadata, path);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, dataLength, path));
            }
            CheckLayout(entries, dataLength, path);
            return new SafeTensorsHeader(path, entries, metadata, dataOffset);
        }
    }

    static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(path, $"'__metadata__' is a JSON {value.ValueKind}; it must be an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Error(path, $"'__metadata__.{item.Name}' is a JSON {item.Value.ValueKind}; metadata values must be strings");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Error(path, $"'__metadata__' names '{item.Name}' twice");
        }
    }

    static SafeTensorsEntry ReadEntry(string name, JsonElement value, long dataLength, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(path, $"tensor '{name}': the entry is a JSON {value.ValueKind}, not an object with dtype, shape and data_offsets");

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Error(path, $"tensor '{name}': 'dtype' is missing or not a string");
        string dtype = dtypeElement.GetString()!;
        if (!SafeTensorsDType.TryParse(dtype, out var scalarType, out int elementSize))
        {
            if (SafeTensorsDType.IsKnownButUnsupported(dtype))
                throw new NotSupportedException(
                    $"'{path}': tensor '{name}' has dtype {dtype}, which TorchSharp has no tensor type for; supported: {string.Join(", ", SafeTensorsDType.Names)}.");
            throw Error(path, $"tensor '{name}': unknown dtype '{dtype}' (expected one of {string.Join(", ", SafeTensorsDType.Names)})");
        }

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Error(path, $"tensor '{name}': 'shape' is missing or not an array");
        var shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long size) || size < 0)
                throw Error(path, $"tensor '{name}': shape entry {i} ({dim}) is not a non-negative integer");
            shape[i++] = size;
        }

        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2)
            throw Error(path, $"tensor '{name}': 'data_offsets' is missing or not a [begin, end] pair");
        if (!offsets[0].TryGetInt64Safe(out long begin) || !offsets[1].TryGetInt64Safe(out long end) || begin < 0 || end < 0)
            throw Error(path, $"tensor '{name}': data_offsets {offsets} are not non-negative integers");
        if (end < begin)
            throw Error(path, $"tensor '{name}': data_offsets [{begin}, {end}] end before they begin");
        if (end > dataLength)
            throw Error(path, $"tensor '{name}': data_offsets [{begin}, {end}] reach outside the data section ({dataLength} bytes)");

        long expectedBytes;
        try { expectedBytes = checked(shape.Aggregate(1L, (a, b) => a * b) * elementSize); }
        catch (OverflowException) { throw Error(path, $"tensor '{name}': shape [{string.Join(", ", shape)}] is too large"); }
        if (expectedBytes != end - begin)
            throw Error(path, $"tensor '{name}': shape [{string.Join(", ", shape)}] of {dtype} needs {expectedBytes} bytes but data_offsets [{begin}, {end}] hold {end - begin}");

        return new SafeTensorsEntry(name, dtype, scalarType, shape, begin, end);
    }

    /// <summary>Sorts by offset and requires the entries to tile the data section exactly: no overlap, no gap, nothing after.</summary>
    static void CheckLayout(List<SafeTensorsEntry> entries, long dataLength, string path)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long position = 0;
        SafeTensorsEntry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Begin < position)
                throw Error(path, $"tensor '{entry.Name}' (bytes [{entry.Begin}, {entry.End})) overlaps tensor '{previous!.Name}' (bytes [{previous.Begin}, {previous.End}))");
            if (entry.Begin > position)
                throw Error(path, previous is null
                    ? $"tensor '{entry.Name}' starts at byte {entry.Begin} of the data section, leaving a gap before it"
                    : $"bytes [{position}, {entry.Begin}) between tensors '{previous.Name}' and '{entry.Name}' belong to no tensor");
            position = entry.End;
            previous = entry;
        }
        if (position != dataLength)
            throw Error(path, $"the data section is {dataLength} bytes but the tensors cover only {position}; the file has trailing bytes or a wrong header");
    }

    static bool TryGetInt64Safe(this JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }

    public static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset, string path)
    {
        while (buffer.Length > 0)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0) throw Error(path, "the file ended while reading it (was it truncated or changed while loading?)");
            buffer = buffer[read..];
            offset += read;
        }
    }

    public static InvalidDataException Error(string path, string problem) =>
        new($"'{path}' is not a valid safetensors file: {problem}.");
}
