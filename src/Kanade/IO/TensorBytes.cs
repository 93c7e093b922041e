// Moves raw bytes between files and tensor memory in chunks, so tensors past 2 GiB need no managed copy of their data.
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>Chunked access to the bytes of contiguous CPU tensors.</summary>
internal static class TensorBytes
{
    /// <summary>Largest span handed out at once: TorchSharp's <c>Tensor.bytes</c> is an int-indexed span.</summary>
    const long ChunkBytes = 1L << 30;

    /// <summary>
    /// Calls <paramref name="fill"/> with consecutive spans covering the memory of <paramref name="tensor"/>
    /// (contiguous, CPU), together with each span's byte offset inside the tensor.
    /// </summary>
    public static void Fill(Tensor tensor, SpanAction fill)
    {
        long total = tensor.numel() * tensor.ElementSize;
        if (total == 0) return;
        if (total <= ChunkBytes)
        {
            fill(tensor.bytes, 0);
            return;
        }
        // Views of a flat alias: each one is contiguous, and its data pointer includes its offset.
        using var flat = tensor.reshape(-1);
        long chunkElements = ChunkBytes / tensor.ElementSize;
        for (long start = 0; start < flat.numel(); start += chunkElements)
        {
            using var part = flat.narrow(0, start, Math.Min(chunkElements, flat.numel() - start));
            fill(part.bytes, start * tensor.ElementSize);
        }
    }

    /// <summary>Receives one chunk of tensor memory and its byte offset inside the tensor.</summary>
    public delegate void SpanAction(Span<byte> chunk, long offset);

    /// <summary>Reads exactly the tensor's byte size from <paramref name="stream"/> into the tensor.</summary>
    public static void ReadFrom(Stream stream, Tensor tensor) =>
        Fill(tensor, (chunk, _) => stream.ReadExactly(chunk));

    /// <summary>Writes the tensor's bytes (contiguous, CPU) to <paramref name="stream"/>.</summary>
    public static void WriteTo(Stream stream, Tensor tensor) =>
        Fill(tensor, (chunk, _) => stream.Write(chunk));

    /// <summary>Reverses the byte order of every element (of <paramref name="wordSize"/> bytes: 2, 4 or 8) of a contiguous CPU tensor.</summary>
    public static void SwapByteOrder(Tensor tensor, int wordSize) =>
        Fill(tensor, (chunk, _) =>
        {
            switch (wordSize)
            {
                case 2: var shorts = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(chunk);
                    System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(shorts, shorts); break;
                case 4: var ints = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(chunk);
                    System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(ints, ints); break;
                case 8: var longs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(chunk);
                    System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(longs, longs); break;
            }
        });
}
