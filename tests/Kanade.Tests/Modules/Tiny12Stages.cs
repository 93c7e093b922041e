using Kanade.IO;
using Kanade.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Tests.Modules;

/// <summary>The tiny12 fixture's modules built one by one from its model.yaml, loaded from model_full.safetensors.</summary>
static class Tiny12Stages
{
    static readonly KanadeModelDefinition definition = ModelConfigLoader.Load(Fixtures.Path("tiny12", "model.yaml"));
    public static TransformerOptions LocalEncoder => definition.LocalEncoder;
    public static FiniteScalarQuantizerOptions Quantizer => definition.LocalQuantizer;
    public static GlobalEncoderOptions Global => definition.GlobalEncoder;
    public static TransformerOptions MelPrenet => definition.MelPrenet;
    public static TransformerOptions MelDecoder => definition.MelDecoder;
    public static PostNetOptions PostNet => definition.MelPostnet;

    static readonly Lazy<Dictionary<string, Tensor>> weights = new(() => SafeTensors.Load(Fixtures.Path("tiny12", "model_full.safetensors")));

    /// <summary>Loads the tensors under <paramref name="prefix"/> strictly into <paramref name="module"/> and sets eval mode.</summary>
    public static T Load<T>(T module, string prefix) where T : nn.Module
    {
        var part = weights.Value.Where(kv => kv.Key.StartsWith(prefix + "."))
            .ToDictionary(kv => kv.Key[(prefix.Length + 1)..], kv => kv.Value);
        var (missing, unexpected) = module.load_state_dict(part, strict: false);
        Assert.IsEmpty(missing, $"{prefix}: missing {string.Join(", ", missing)}");
        Assert.IsEmpty(unexpected, $"{prefix}: unexpected {string.Join(", ", unexpected)}");
        module.eval();
        return module;
    }
}
