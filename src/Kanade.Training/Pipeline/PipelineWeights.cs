// Port of kanade-tokenizer pipeline.py KanadePipeline._load_weights (MIT): the checkpoint formats ckpt_path accepts.
using Kanade.IO;
using Kanade.Training.Checkpoints;
using static TorchSharp.torch;

namespace Kanade.Training.Pipeline;

/// <summary>
/// The model and discriminator state dicts of a checkpoint, whatever its format: a training checkpoint of this
/// project, a Lightning <c>.ckpt</c> of the reference (<c>model.*</c>, <c>discriminator.*</c>), or a plain model state
/// dict (<c>.safetensors</c>, <c>.pt</c>, <c>.pth</c>, <c>.bin</c>). <c>_orig_mod.</c> left by torch.compile is removed.
/// Owns the tensors.
/// </summary>
public sealed class PipelineWeights : IDisposable
{
    PipelineWeights(string path, string kind, Dictionary<string, Tensor> model, Dictionary<string, Tensor> discriminator)
    {
        Path = path;
        Kind = kind;
        Model = model;
        Discriminator = discriminator;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }
    /// <summary>What the file was: <c>training checkpoint</c>, <c>Lightning checkpoint</c> or <c>state dict</c>.</summary>
    public string Kind { get; }
    /// <summary>Model tensors by <c>KanadeModel</c> name.</summary>
    public IReadOnlyDictionary<string, Tensor> Model { get; }
    /// <summary>Discriminator tensors by <c>SpectrogramDiscriminator</c> name (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, Tensor> Discriminator { get; }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NotSupportedException">An <c>hf:</c> id (the Hugging Face hub is not wired into training yet).</exception>
    /// <exception cref="InvalidDataException">The file is malformed or holds no model tensors.</exception>
    public static PipelineWeights Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.StartsWith("hf:", StringComparison.Ordinal))
            throw new NotSupportedException(
                $"ckpt_path '{path}': Hugging Face ids are not resolved by training yet; download the repository's model.safetensors and give its path.");
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);

        if (IsTrainingCheckpoint(path))
        {
            var model = SafeTensors.Load(path, new WeightLoadOptions { Prefix = CheckpointFormat.ModelPrefix });
            var discriminator = SafeTensors.Load(path, new WeightLoadOptions { Prefix = CheckpointFormat.DiscriminatorPrefix });
            return new PipelineWeights(path, "training checkpoint", model, discriminator);
        }
        if (System.IO.Path.GetExtension(path).Equals(".ckpt", StringComparison.OrdinalIgnoreCase))
            return Lightning(path);

        var all = WeightFile.Load(path);
        // A Lightning checkpoint under another extension: every name belongs to the pipeline's model or discriminator.
        if (all.Count > 0 && all.Keys.All(k => k.StartsWith(CheckpointFormat.ModelPrefix, StringComparison.Ordinal)
                                              || k.StartsWith(CheckpointFormat.DiscriminatorPrefix, StringComparison.Ordinal)))
        {
            var model = Strip(all, CheckpointFormat.ModelPrefix);
            var discriminator = Strip(all, CheckpointFormat.DiscriminatorPrefix);
            return new PipelineWeights(path, "Lightning checkpoint", model, discriminator);
        }
        if (all.Count == 0) throw new InvalidDataException($"Checkpoint '{path}' holds no tensors.");
        return new PipelineWeights(path, "state dict", all, []);
    }

    /// <summary>True when <paramref name="path"/> is a training checkpoint written by this project.</summary>
    public static bool IsTrainingCheckpoint(string path) => TrainingCheckpointMetadata(path) is not null;

    /// <summary>The safetensors metadata of <paramref name="path"/> when it is a training checkpoint of this project, else null.</summary>
    internal static IReadOnlyDictionary<string, string>? TrainingCheckpointMetadata(string path)
    {
        if (!File.Exists(path) || LooksLikeZipOrPickle(path)) return null;
        try
        {
            var metadata = SafeTensors.ReadHeader(path).Metadata;
            return metadata.TryGetValue(CheckpointFormat.FormatKey, out var format) && format == CheckpointFormat.FormatValue ? metadata : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    static PipelineWeights Lightning(string path)
    {
        var model = TorchCheckpoint.LoadLightning(path, CheckpointFormat.ModelPrefix);
        Dictionary<string, Tensor> discriminator;
        try
        {
            discriminator = TorchCheckpoint.LoadLightning(path, CheckpointFormat.DiscriminatorPrefix);
        }
        catch (InvalidDataException) when (model.Count > 0)
        {
            discriminator = [];     // a pretraining checkpoint has no discriminator
        }
        return new PipelineWeights(path, "Lightning checkpoint", model, discriminator);
    }

    static Dictionary<string, Tensor> Strip(Dictionary<string, Tensor> all, string prefix) =>
        all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    static bool LooksLikeZipOrPickle(string path)
    {
        Span<byte> head = stackalloc byte[2];
        using var stream = File.OpenRead(path);
        if (stream.ReadAtLeast(head, 2, throwOnEndOfStream: false) < 2) return false;
        return (head[0] == (byte)'P' && head[1] == (byte)'K') || (head[0] == 0x80 && head[1] is >= 2 and <= 5);
    }

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        foreach (var tensor in Model.Values) tensor.Dispose();
        foreach (var tensor in Discriminator.Values) tensor.Dispose();
    }
}
