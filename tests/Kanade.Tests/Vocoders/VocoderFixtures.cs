using Kanade.Vocoders;
using static TorchSharp.torch;

namespace Kanade.Tests.Vocoders;

/// <summary>The tiny fixture vocoders.</summary>
internal static class VocoderFixtures
{
    /// <summary>tiny12's vocos_config.yaml, loaded.</summary>
    public static VocosConfig TinyVocosConfig() => VocosConfig.Load(Fixtures.Path("tiny12", "vocos_config.yaml"));
    /// <summary>tiny12's vocos.safetensors.</summary>
    public static string TinyVocosWeights => Fixtures.Path("tiny12", "vocos.safetensors");
    /// <summary>tiny25's hift_config.json, loaded.</summary>
    public static HiftOptions TinyHiftOptions() => HiftOptions.Load(Fixtures.Path("tiny25", "hift_config.json"));
    /// <summary>tiny25's hift.safetensors.</summary>
    public static string TinyHiftWeights => Fixtures.Path("tiny25", "hift.safetensors");

    /// <summary>tiny12's Vocos, loaded from vocos_config.yaml and vocos.safetensors.</summary>
    public static Vocos TinyVocos() =>
        (Vocos)Vocoder.FromPretrained(Vocoder.VocosName, Fixtures.Path("tiny12", "vocos_config.yaml"), TinyVocosWeights);

    /// <summary>tiny25's HiFT, loaded from hift_config.json and hift.safetensors.</summary>
    public static HiftGenerator TinyHift() =>
        (HiftGenerator)Vocoder.FromPretrained(Vocoder.HiftName, Fixtures.Path("tiny25", "hift_config.json"), TinyHiftWeights);

    /// <summary>Logs max |actual - expected| and asserts it is within <see cref="TensorAssert.Deep"/>.</summary>
    public static void AssertMatchesReference(TestContext context, Tensor actual, Tensor expected, string what) =>
        context.WriteLine($"{what}: max |diff| = {TensorAssert.Close(actual, expected, TensorAssert.Deep, what):G3}");
}
