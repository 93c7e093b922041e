// The parsed header of a safetensors file: what it holds, where, and its free-form metadata.
using TorchSharp;

namespace Kanade.IO;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">Tensor name (the state-dict key).</param>
/// <param name="DType">dtype as the file spells it (<c>F32</c>, <c>BF16</c>, ...).</param>
/// <param name="ScalarType">The TorchSharp dtype the tensor loads as.</param>
/// <param name="Shape">Shape; empty for a scalar.</param>
/// <param name="Begin">Start of its bytes, relative to the data section.</param>
/// <param name="End">End (exclusive) of its bytes, relative to the data section.</param>
public sealed record SafeTensorsEntry(string Name, string DType, torch.ScalarType ScalarType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of elements (product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Size of its data in bytes.</summary>
    public long ByteLength => End - Begin;

    /// <summary>Shape as text, e.g. <c>[768, 512]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>Everything the header of a safetensors file says, read without touching the tensor data.</summary>
/// <param name="FilePath">The file it was read from.</param>
/// <param name="Tensors">Entries in data-offset order.</param>
/// <param name="Metadata">The <c>__metadata__</c> string map (empty when absent).</param>
/// <param name="DataOffset">Absolute file offset of the data section (8 + header length).</param>
public sealed record SafeTensorsHeader(
    string FilePath,
    IReadOnlyList<SafeTensorsEntry> Tensors,
    IReadOnlyDictionary<string, string> Metadata,
    long DataOffset)
{
    /// <summary>The entry called <paramref name="name"/>, or null.</summary>
    public SafeTensorsEntry? Find(string name) => Tensors.FirstOrDefault(t => t.Name == name);
}
