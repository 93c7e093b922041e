using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>Reads SSL model weights from the files they are published as, into torchaudio's names.</summary>
public static class SslWeights
{
    /// <summary>The prefix of the SSL model's tensors in a full Kanade state dict.</summary>
    public const string KanadePrefix = "ssl_feature_extractor.model.";

    /// <summary>
    /// torchaudio-named weights from <paramref name="path"/>: torchaudio's <c>.pth</c>, a Hugging Face WavLM
    /// <c>pytorch_model.bin</c> / <c>model.safetensors</c> (renamed), safetensors with torchaudio names, or a full
    /// Kanade state dict (its <c>ssl_feature_extractor.model.</c> part).
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        var weights = WeightFile.Load(path);
        Dictionary<string, Tensor> result;
        if (weights.Keys.Any(k => k.StartsWith(KanadePrefix, StringComparison.Ordinal)))
            result = weights.Where(kv => kv.Key.StartsWith(KanadePrefix, StringComparison.Ordinal))
                            .ToDictionary(kv => kv.Key[KanadePrefix.Length..], kv => kv.Value);
        else if (HuggingFaceWavLM.IsHuggingFace(weights.Keys)) result = HuggingFaceWavLM.ToTorchaudio(weights);
        else return weights;
        // What the result leaves out (the rest of a Kanade state dict, the separate q/k/v projections now concatenated)
        // is freed here rather than at some later GC.
        var kept = new HashSet<Tensor>(result.Values, ReferenceEqualityComparer.Instance);
        foreach (var tensor in weights.Values)
            if (!kept.Contains(tensor)) tensor.Dispose();
        return result;
    }

    /// <summary>Where the weights of a registry model are published, for error messages.</summary>
    public static string WhereToGet(string modelName) => modelName switch
    {
        "wavlm_base_plus" => "download torchaudio's wavlm_base_plus.pth (https://download.pytorch.org/torchaudio/models/wavlm_base_plus.pth) " +
                             "or microsoft/wavlm-base-plus's pytorch_model.bin from the Hugging Face hub.",
        _ when SslPresets.TryGet(modelName, out _) => $"download torchaudio's published weights for '{modelName}' (torchaudio.pipelines, https://download.pytorch.org/torchaudio/models/).",
        _ => $"'{modelName}' is no published bundle: give the weights file its config was trained with.",
    };
}
