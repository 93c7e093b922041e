using Kanade.IO;
using Kanade.Tests.IO;

namespace Kanade.Tests.Hub;

/// <summary>The tiny fixture model as files a hub repository would hold, and small stand-ins for other files.</summary>
public static class HubFixtures
{
    static readonly Lazy<byte[]> tinySslPth = new(() => TorchZipFromSafeTensors(Fixtures.Path("tiny12", "ssl.safetensors")));
    static readonly Lazy<byte[]> tinyVocosPth = new(() => TorchZipFromSafeTensors(Fixtures.Path("tiny12", "vocos.safetensors")));

    /// <summary>tiny12's config.yaml and export-shaped model.safetensors (no SSL weights, as published).</summary>
    public static Dictionary<string, byte[]> TinyKanadeRepo() => new()
    {
        ["config.yaml"] = File.ReadAllBytes(Fixtures.Path("tiny12", "model.yaml")),
        ["model.safetensors"] = File.ReadAllBytes(Fixtures.Path("tiny12", "model.safetensors")),
    };

    /// <summary>tiny12's WavLM weights as a PyTorch zip checkpoint with torchaudio's names (what wavlm_base_plus.pth is).</summary>
    public static byte[] TinySslPth => tinySslPth.Value;

    /// <summary>tiny12's Vocos as charactr/vocos-mel-24khz holds it: config.yaml and a PyTorch pytorch_model.bin.</summary>
    public static Dictionary<string, byte[]> TinyVocosRepo() => new()
    {
        ["config.yaml"] = File.ReadAllBytes(Fixtures.Path("tiny12", "vocos_config.yaml")),
        ["pytorch_model.bin"] = tinyVocosPth.Value,
    };

    /// <summary>Bytes that stand for a small text file and a larger LFS file.</summary>
    public static Dictionary<string, byte[]> SmallRepo(string text = "a: 1\n", int lfsBytes = 300_000)
    {
        var lfs = new byte[lfsBytes];
        new Random(lfsBytes).NextBytes(lfs);
        return new() { ["config.yaml"] = System.Text.Encoding.UTF8.GetBytes(text), ["model.safetensors"] = lfs };
    }

    /// <summary>Rewrites a float32 safetensors file as a PyTorch zip checkpoint (a dict of tensors, one storage each).</summary>
    public static byte[] TorchZipFromSafeTensors(string path)
    {
        var header = SafeTensors.ReadHeader(path);
        byte[] file = File.ReadAllBytes(path);
        var pickle = new PickleBuilder().EmptyDict().Mark();
        var storages = new List<(string Key, byte[] Data)>();
        foreach (var (entry, index) in header.Tensors.Select((e, i) => (e, i)))
        {
            if (entry.DType != "F32") throw new NotSupportedException($"{entry.Name}: only F32 fixtures are converted, got {entry.DType}.");
            int[] shape = entry.Shape.Select(d => (int)d).ToArray();
            int[] stride = new int[shape.Length];
            for (int d = shape.Length - 1, s = 1; d >= 0; s *= shape[d], d--) stride[d] = s;
            string key = index.ToString();
            pickle.Str(entry.Name).FloatTensor(key, (int)entry.ElementCount, 0, shape, stride);
            storages.Add((key, file.AsSpan((int)(header.DataOffset + entry.Begin), (int)entry.ByteLength).ToArray()));
        }
        pickle.SetItems().Stop();
        using var temp = new TempDirectory();
        return File.ReadAllBytes(PickleBuilder.WriteZip(temp.File("weights.pth"), pickle.ToArray(), [.. storages]));
    }
}
