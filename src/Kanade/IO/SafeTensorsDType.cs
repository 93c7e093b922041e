// The dtype names of the safetensors format and their TorchSharp counterparts.
using TorchSharp;

namespace Kanade.IO;

/// <summary>Maps safetensors dtype names (<c>F32</c>, <c>BF16</c>, ...) to <see cref="torch.ScalarType"/> and back.</summary>
public static class SafeTensorsDType
{
    static readonly (string Name, torch.ScalarType Type, int Size)[] Supported =
    [
        ("F64", torch.ScalarType.Float64, 8),
        ("F32", torch.ScalarType.Float32, 4),
        ("F16", torch.ScalarType.Float16, 2),
        ("BF16", torch.ScalarType.BFloat16, 2),
        ("I64", torch.ScalarType.Int64, 8),
        ("I32", torch.ScalarType.Int32, 4),
        ("I16", torch.ScalarType.Int16, 2),
        ("I8", torch.ScalarType.Int8, 1),
        ("U8", torch.ScalarType.Byte, 1),
        ("BOOL", torch.ScalarType.Bool, 1),
    ];

    /// <summary>Valid safetensors dtypes that TorchSharp 0.107 has no tensor type for.</summary>
    static readonly string[] WithoutTorchSharpType =
        ["U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64"];

    /// <summary>The accepted names, for error messages.</summary>
    public static IEnumerable<string> Names => Supported.Select(s => s.Name);

    /// <summary>Finds the TorchSharp type and element size of a safetensors dtype name (case-sensitive, as the format says).</summary>
    public static bool TryParse(string name, out torch.ScalarType type, out int elementSize)
    {
        foreach (var s in Supported)
        {
            if (s.Name == name)
            {
                (type, elementSize) = (s.Type, s.Size);
                return true;
            }
        }
        (type, elementSize) = (default, 0);
        return false;
    }

    /// <summary>True for names the format defines but TorchSharp cannot hold (unsigned 16/32/64-bit, 8/6/4-bit floats, complex).</summary>
    public static bool IsKnownButUnsupported(string name) => WithoutTorchSharpType.Contains(name);

    /// <summary>The safetensors name of a TorchSharp dtype; throws <see cref="NotSupportedException"/> for complex and quantized types.</summary>
    public static string NameOf(torch.ScalarType type)
    {
        foreach (var s in Supported)
            if (s.Type == type) return s.Name;
        throw new NotSupportedException(
            $"dtype {type} cannot be stored in safetensors by this writer; supported: {string.Join(", ", Names)}.");
    }

    /// <summary>Bytes per element of a TorchSharp dtype that safetensors can store.</summary>
    public static int SizeOf(torch.ScalarType type)
    {
        foreach (var s in Supported)
            if (s.Type == type) return s.Size;
        throw new NotSupportedException($"dtype {type} has no safetensors name.");
    }
}
