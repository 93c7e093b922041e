using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>Reads a state dict from any supported weights file, chosen by extension (by content when the extension says nothing).</summary>
public static class WeightFile
{
    /// <summary>Extensions of PyTorch checkpoints.</summary>
    static readonly string[] TorchExtensions = [".pt", ".pth", ".bin", ".ckpt", ".tar"];

    /// <summary>
    /// Loads <paramref name="path"/> as name -> CPU tensor: <c>.safetensors</c>, or a PyTorch checkpoint
    /// (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>, Lightning <c>.ckpt</c>: its <c>state_dict</c>, <c>_orig_mod.</c> removed).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed; the message names it and the problem.</exception>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, WeightLoadOptions.All);

    /// <summary>Loads the tensors of <paramref name="path"/> that <paramref name="options"/> selects, converted as it says.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed; the message names it and the problem.</exception>
    public static Dictionary<string, Tensor> Load(string path, WeightLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(path))
            throw new FileNotFoundException($"'{path}' is a directory, not a weights file.", path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Weights file '{path}' does not exist.", path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".safetensors") return SafeTensors.Load(path, options);
        if (TorchExtensions.Contains(extension)) return TorchCheckpoint.Load(path, options);
        return LooksLikeTorch(path) ? TorchCheckpoint.Load(path, options) : SafeTensors.Load(path, options);
    }

    /// <summary>A zip archive or a pickle (protocol 2+) at the start of the file.</summary>
    static bool LooksLikeTorch(string path)
    {
        Span<byte> head = stackalloc byte[2];
        using var stream = File.OpenRead(path);
        if (stream.ReadAtLeast(head, 2, throwOnEndOfStream: false) < 2) return false;
        return (head[0] == (byte)'P' && head[1] == (byte)'K') || (head[0] == 0x80 && head[1] is >= 2 and <= 5);
    }
}
