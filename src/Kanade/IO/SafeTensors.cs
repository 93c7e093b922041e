// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length,
// a JSON header {name: {dtype, shape, data_offsets}}, then the raw little-endian tensor bytes.
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>Reads safetensors files into TorchSharp CPU tensors.</summary>
public static class SafeTensors
{
    /// <summary>Loads every tensor of <paramref name="path"/>, in file order, as CPU tensors of the stored dtype.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        long headerLength = BitConverter.ToInt64(lengthBytes);
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + headerLength;

        var result = new Dictionary<string, Tensor>();
        using var json = JsonDocument.Parse(header);
        var entries = json.RootElement.EnumerateObject()
            .Where(p => p.Name != "__metadata__")
            .OrderBy(p => p.Value.GetProperty("data_offsets")[0].GetInt64());
        foreach (var entry in entries)
        {
            var dtype = ParseDType(entry.Value.GetProperty("dtype").GetString()!);
            long[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            long begin = entry.Value.GetProperty("data_offsets")[0].GetInt64();
            long end = entry.Value.GetProperty("data_offsets")[1].GetInt64();
            var bytes = new byte[end - begin];
            stream.Position = dataStart + begin;
            stream.ReadExactly(bytes);
            var tensor = torch.empty(shape, dtype);
            if (bytes.Length > 0) tensor.bytes = bytes;
            result[entry.Name] = tensor;
        }
        return result;
    }

    static ScalarType ParseDType(string name) => name switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"Unknown safetensors dtype '{name}'."),
    };
}
