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
}
