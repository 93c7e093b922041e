using Kanade.IO;
using Kanade.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Tests.Modules;

/// <summary>The tiny12 fixture's modules built one by one from its model.yaml values, loaded from model_full.safetensors.</summary>
static class Tiny12Stages
{
    public static readonly TransformerOptions LocalEncoder = new()
    {
        Dim = 64, NLayers = 2, NHeads = 4, WindowSize = 7, UseRope = true, RopeTheta = 10000, MaxSeqLen = 16, MultipleOf = 16, Dropout = 0,
    };
    public static readonly FiniteScalarQuantizerOptions Quantizer = new() { InputDim = 64, OutputDim = 64, Levels = [8, 8, 8, 5, 5] };
    public static readonly GlobalEncoderOptions Global = new() { InputChannels = 64, OutputChannels = 16, NumLayers = 2, Dim = 32, IntermediateDim = 96 };
    public static readonly TransformerOptions MelPrenet = new()
    {
        Dim = 64, OutputDim = 48, NLayers = 2, NHeads = 4, WindowSize = 5, UseRope = true, RopeTheta = 10000, MaxSeqLen = 16, MultipleOf = 16, Dropout = 0,
    };
    public static readonly TransformerOptions MelDecoder = new()
    {
        Dim = 48, OutputDim = 100, NLayers = 2, NHeads = 4, WindowSize = 9, UseRope = true, RopeTheta = 10000, MaxSeqLen = 64, MultipleOf = 16,
        Dropout = 0, AdanormConditionDim = 16, UseAdalnZero = true,
    };
    public static readonly PostNetOptions PostNet = new() { InputChannels = 100, Channels = 32, KernelSize = 7, NumLayers = 4, UseLayerNorm = true, Dropout = 0 };

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
