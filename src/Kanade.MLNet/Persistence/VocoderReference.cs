// A checksummed reference to a vocoder's files.
using System.Runtime.CompilerServices;
using Kanade.MLNet.Persistence;

namespace Kanade.MLNet;

/// <summary>The files an <see cref="IVocoder"/> was loaded from (<see cref="Vocoder.FromPretrained(string, string?, string)"/>), with their SHA-256.</summary>
/// <param name="Name"><c>vocos</c> or <c>hift</c>.</param>
/// <param name="ConfigPath">The vocoder's config, or null for the published architecture's defaults.</param>
/// <param name="ConfigSha256">SHA-256 of <paramref name="ConfigPath"/>, or null.</param>
/// <param name="WeightsPath">The vocoder's weights.</param>
/// <param name="WeightsSha256">SHA-256 of <paramref name="WeightsPath"/>.</param>
public sealed record VocoderReference(string Name, string? ConfigPath, string? ConfigSha256, string WeightsPath, string WeightsSha256)
{
    static readonly ConditionalWeakTable<IVocoder, VocoderReference> known = new();

    /// <summary>A reference to existing files, hashing them now.</summary>
    public static VocoderReference FromFiles(string name, string? configPath, string weightsPath) =>
        new(name, configPath is null ? null : Path.GetFullPath(configPath), configPath is null ? null : FileChecksum.Sha256(configPath),
            Path.GetFullPath(weightsPath), FileChecksum.Sha256(weightsPath));

    /// <summary>Hashes the files, loads the vocoder and remembers where it came from.</summary>
    public static IVocoder Load(string name, string? configPath, string weightsPath) => FromFiles(name, configPath, weightsPath).Load(verify: false);

    /// <summary>Loads the vocoder, checking the files' SHA-256 first (unless <paramref name="verify"/> is false).</summary>
    /// <exception cref="InvalidDataException">A file's SHA-256 differs from the reference's.</exception>
    public IVocoder Load(bool verify = true)
    {
        if (verify)
        {
            if (ConfigPath is not null && ConfigSha256 is not null) FileChecksum.Verify(ConfigPath, ConfigSha256, "vocoder config");
            FileChecksum.Verify(WeightsPath, WeightsSha256, "vocoder weights file");
        }
        var vocoder = Vocoder.FromPretrained(Name, ConfigPath, WeightsPath);
        Register(vocoder);
        return vocoder;
    }

    /// <summary>Records that <paramref name="vocoder"/> was loaded from these files.</summary>
    public void Register(IVocoder vocoder)
    {
        ArgumentNullException.ThrowIfNull(vocoder);
        known.AddOrUpdate(vocoder, this);
    }

    /// <summary>The reference <paramref name="vocoder"/> was loaded or registered with, or null.</summary>
    public static VocoderReference? Of(IVocoder vocoder) => known.TryGetValue(vocoder, out var reference) ? reference : null;
}
