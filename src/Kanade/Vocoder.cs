// Builds a vocoder by name from its published files: Vocos (charactr/vocos-mel-24khz) or HiFT (CosyVoice 2's hift.pt).
using Kanade.IO;
using Kanade.Vocoders;

namespace Kanade;

/// <summary>Loads the vocoders Kanade's configs name (<c>vocoder_name</c>: <c>vocos</c> or <c>hift</c>).</summary>
public static partial class Vocoder
{
    /// <summary>The name of Vocos in model configs.</summary>
    public const string VocosName = "vocos";
    /// <summary>The name of HiFT in model configs.</summary>
    public const string HiftName = "hift";

    /// <summary>Config file names looked for in a Vocos directory, in order.</summary>
    public static IReadOnlyList<string> VocosConfigFiles { get; } = ["config.yaml", "vocos_config.yaml"];
    /// <summary>Weights file names looked for in a Vocos directory, in order.</summary>
    public static IReadOnlyList<string> VocosWeightsFiles { get; } = ["pytorch_model.bin", "vocos.safetensors"];
    /// <summary>Config file names looked for in a HiFT directory (optional: CosyVoice 2's defaults otherwise).</summary>
    public static IReadOnlyList<string> HiftConfigFiles { get; } = ["hift_config.json"];
    /// <summary>Weights file names looked for in a HiFT directory, in order.</summary>
    public static IReadOnlyList<string> HiftWeightsFiles { get; } = ["hift.pt", "hift.safetensors"];

    /// <summary>
    /// Builds and loads a vocoder. <paramref name="name"/>: <c>vocos</c> (<paramref name="configPath"/> a Vocos
    /// <c>config.yaml</c>; null for the <c>charactr/vocos-mel-24khz</c> architecture) or <c>hift</c>
    /// (<paramref name="configPath"/> a JSON object of HiFTGenerator arguments; null for CosyVoice 2's).
    /// <paramref name="weightsPath"/>: a state dict (.safetensors, or a PyTorch checkpoint .pt/.bin/.ckpt), loaded strictly.
    /// The vocoder is on the CPU in eval mode.
    /// </summary>
    public static IVocoder FromPretrained(string name, string? configPath, string weightsPath)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(weightsPath);
        switch (name.ToLowerInvariant())
        {
            case VocosName:
            {
                var config = configPath is null ? VocosConfig.Mel24kHz : VocosConfig.Load(configPath);
                var vocos = new Vocos(config);
                return LoadOrDispose(vocos, weightsPath, vocos.LoadWeights);
            }
            case HiftName:
            {
                var options = configPath is null ? HiftOptions.CosyVoice2 : HiftOptions.Load(configPath);
                var hift = new HiftGenerator(options);
                return LoadOrDispose(hift, weightsPath, hift.LoadWeights);
            }
            default:
                throw new ArgumentException($"Unknown vocoder '{name}'; accepted: '{VocosName}', '{HiftName}'.", nameof(name));
        }
    }

    /// <summary>
    /// Builds and loads a vocoder from a directory of its published files: for <c>vocos</c> a config
    /// (<see cref="VocosConfigFiles"/>, e.g. <c>config.yaml</c>) and weights (<see cref="VocosWeightsFiles"/>, e.g.
    /// <c>pytorch_model.bin</c>); for <c>hift</c> weights (<see cref="HiftWeightsFiles"/>, e.g. <c>hift.pt</c>) and an
    /// optional <c>hift_config.json</c>.
    /// </summary>
    public static IVocoder FromPretrained(string name, string directory)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Vocoder directory '{directory}' does not exist.");
        return name.ToLowerInvariant() switch
        {
            VocosName => FromPretrained(name,
                Find(directory, VocosConfigFiles) ?? throw Missing(directory, "Vocos config", VocosConfigFiles),
                Find(directory, VocosWeightsFiles) ?? throw Missing(directory, "Vocos weights", VocosWeightsFiles)),
            HiftName => FromPretrained(name,
                Find(directory, HiftConfigFiles),
                Find(directory, HiftWeightsFiles) ?? throw Missing(directory, "HiFT weights", HiftWeightsFiles)),
            _ => throw new ArgumentException($"Unknown vocoder '{name}'; accepted: '{VocosName}', '{HiftName}'.", nameof(name)),
        };
    }

    static T LoadOrDispose<T>(T vocoder, string weightsPath, Action<IReadOnlyDictionary<string, TorchSharp.torch.Tensor>, string> load)
        where T : IDisposable
    {
        try
        {
            var state = WeightFile.Load(weightsPath);
            try
            {
                load(state, weightsPath);
            }
            finally
            {
                foreach (var tensor in state.Values) tensor.Dispose();
            }
            return vocoder;
        }
        catch
        {
            vocoder.Dispose();
            throw;
        }
    }

    static string? Find(string directory, IEnumerable<string> names) =>
        names.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);

    static FileNotFoundException Missing(string directory, string what, IEnumerable<string> names) =>
        new($"No {what} in '{directory}': looked for {string.Join(", ", names)}.");
}
