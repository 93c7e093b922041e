// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length,
// a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, then the raw little-endian tensor bytes.
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>
/// Reads and writes safetensors files. Reading validates the whole header first (every problem is an
/// <see cref="InvalidDataException"/> naming the file and the entry), then reads each selected tensor's bytes
/// straight into its CPU tensor, so a file is never held in memory twice.
/// </summary>
public static class SafeTensors
{
    /// <summary>Loads every tensor of <paramref name="path"/>, in data order, as CPU tensors of the stored dtype.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header or the data is malformed; the message names the file and the entry.</exception>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, WeightLoadOptions.All);

    /// <summary>Loads the tensors of <paramref name="path"/> that <paramref name="options"/> selects, converted as it says.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header or the data is malformed; the message names the file and the entry.</exception>
    public static Dictionary<string, Tensor> Load(string path, WeightLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckHostIsLittleEndian();
        using var handle = OpenRead(path);
        var header = SafeTensorsHeaderParser.Read(handle, path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in header.Tensors)
            {
                if (options.Select(entry.Name) is not { } name) continue;
                var tensor = ReadTensor(handle, header, entry);
                result[name] = options.Convert(tensor);
            }
        }
        catch
        {
            foreach (var tensor in result.Values) tensor.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>Reads only the header: names, dtypes, shapes, offsets and metadata; no tensor data is read.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is malformed.</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        using var handle = OpenRead(path);
        return SafeTensorsHeaderParser.Read(handle, path);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device, any layout: they are copied to CPU and made contiguous) and
    /// optional string <paramref name="metadata"/> to <paramref name="path"/>. The file is written under a temporary
    /// name beside it and renamed over <paramref name="path"/> only when complete, so a failure never leaves a
    /// partial file and an existing file is replaced atomically.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty or <c>__metadata__</c>.</exception>
    /// <exception cref="NotSupportedException">A tensor's dtype has no safetensors name (complex, quantized).</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        CheckHostIsLittleEndian();
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            if (key is null || value is null)
                throw new ArgumentException($"metadata entry '{key}' has a null key or value; safetensors metadata maps strings to strings.", nameof(metadata));
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == "__metadata__")
                throw new ArgumentException($"'{name}' cannot name a tensor in a safetensors file.", nameof(tensors));
            ArgumentNullException.ThrowIfNull(tensor, $"tensors[\"{name}\"]");
        }

        // The reference writer orders by element size (largest first), then name, so every tensor stays aligned.
        var ordered = tensors
            .Select(kv => (Name: kv.Key, Tensor: kv.Value, DType: SafeTensorsDType.NameOf(kv.Value.dtype), Size: SafeTensorsDType.SizeOf(kv.Value.dtype)))
            .OrderByDescending(t => t.Size).ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

        byte[] header = BuildHeader(ordered.Select(t => (t.Name, t.DType, t.Tensor.shape, t.Tensor.numel() * t.Size)), metadata);

        AtomicFile.Write(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            Span<byte> length = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (_, tensor, _, _) in ordered)
            {
                using var scope = NewDisposeScope();
                var cpu = tensor.detach().cpu().contiguous();
                TensorBytes.WriteTo(stream, cpu);
            }
            stream.Flush(flushToDisk: true);
        });
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes like the reference writer.</summary>
    static byte[] BuildHeader(IEnumerable<(string Name, string DType, long[] Shape, long Bytes)> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, dtype, shape, bytes) in entries)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (long size in shape) json.WriteNumberValue(size);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    static Tensor ReadTensor(SafeFileHandle handle, SafeTensorsHeader header, SafeTensorsEntry entry)
    {
        var tensor = torch.empty(entry.Shape, entry.ScalarType, device: CPU);
        try
        {
            long fileOffset = header.DataOffset + entry.Begin;
            TensorBytes.Fill(tensor, (chunk, offset) =>
                SafeTensorsHeaderParser.ReadExactly(handle, chunk, fileOffset + offset, header.FilePath));
            if (entry.ScalarType == ScalarType.Bool) CheckBooleans(tensor, header.FilePath, entry);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>A bool byte other than 0 or 1 is undefined behaviour in libtorch: refuse it.</summary>
    static void CheckBooleans(Tensor tensor, string path, SafeTensorsEntry entry) =>
        TensorBytes.Fill(tensor, (chunk, offset) =>
        {
            int bad = chunk.IndexOfAnyExcept((byte)0, (byte)1);
            if (bad >= 0)
                throw SafeTensorsHeaderParser.Error(path, $"BOOL tensor '{entry.Name}' holds byte 0x{chunk[bad]:X2} at element {offset + bad}; booleans must be 0 or 1");
        });

    static SafeFileHandle OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new FileNotFoundException($"'{path}' is a directory, not a safetensors file.", path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Safetensors file '{path}' does not exist.", path);
        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
    }

    static void CheckHostIsLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported.");
    }
}
