// A checksummed reference to a Kanade model's files: what a saved pipeline stores instead of the weights.
using System.Runtime.CompilerServices;
using Kanade.MLNet.Persistence;

namespace Kanade.MLNet;

/// <summary>
/// The files a <see cref="KanadeModel"/> was loaded from, with their SHA-256, so that <see cref="KanadePipeline"/> can
/// save a pipeline without copying the weights and refuse to load it against different files.
/// </summary>
/// <param name="ConfigPath">The model YAML.</param>
/// <param name="ConfigSha256">SHA-256 (hex) of <paramref name="ConfigPath"/>.</param>
/// <param name="WeightsPath">The weights (.safetensors, .pt, .ckpt).</param>
/// <param name="WeightsSha256">SHA-256 (hex) of <paramref name="WeightsPath"/>.</param>
/// <param name="SslWeightsPath">Separate SSL (WavLM) weights, or null.</param>
/// <param name="SslWeightsSha256">SHA-256 (hex) of <paramref name="SslWeightsPath"/>, or null.</param>
public sealed record KanadeModelReference(string ConfigPath, string ConfigSha256, string WeightsPath, string WeightsSha256,
                                          string? SslWeightsPath = null, string? SslWeightsSha256 = null)
{
    static readonly ConditionalWeakTable<KanadeModel, KanadeModelReference> known = new();

    /// <summary>A reference to existing files, hashing them now.</summary>
    /// <param name="configPath">The model YAML.</param>
    /// <param name="weightsPath">The weights file.</param>
    /// <param name="sslWeightsPath">Separate SSL weights, or null when the weights file holds them.</param>
    public static KanadeModelReference FromFiles(string configPath, string weightsPath, string? sslWeightsPath = null) =>
        new(Path.GetFullPath(configPath), FileChecksum.Sha256(configPath), Path.GetFullPath(weightsPath), FileChecksum.Sha256(weightsPath),
            sslWeightsPath is null ? null : Path.GetFullPath(sslWeightsPath), sslWeightsPath is null ? null : FileChecksum.Sha256(sslWeightsPath));

    /// <summary>Hashes the files, loads the model (<see cref="KanadeModel.FromPretrained(string, string, string?)"/>, CPU, eval) and remembers where it came from.</summary>
    public static KanadeModel Load(string configPath, string weightsPath, string? sslWeightsPath = null) =>
        FromFiles(configPath, weightsPath, sslWeightsPath).Load(verify: false);

    /// <summary>Loads the model these files describe, checking their SHA-256 first (unless <paramref name="verify"/> is false).</summary>
    /// <exception cref="InvalidDataException">A file's SHA-256 differs from the reference's.</exception>
    public KanadeModel Load(bool verify = true)
    {
        if (verify)
        {
            FileChecksum.Verify(ConfigPath, ConfigSha256, "model config");
            FileChecksum.Verify(WeightsPath, WeightsSha256, "model weights file");
            if (SslWeightsPath is not null && SslWeightsSha256 is not null) FileChecksum.Verify(SslWeightsPath, SslWeightsSha256, "SSL weights file");
        }
        var model = KanadeModel.FromPretrained(ConfigPath, WeightsPath, SslWeightsPath);
        Register(model);
        return model;
    }

    /// <summary>Records that <paramref name="model"/> was loaded from these files (for a model loaded some other way).</summary>
    public void Register(KanadeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        known.AddOrUpdate(model, this);
    }

    /// <summary>The reference <paramref name="model"/> was loaded or registered with, or null.</summary>
    public static KanadeModelReference? Of(KanadeModel model) => known.TryGetValue(model, out var reference) ? reference : null;
}
