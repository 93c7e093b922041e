// How strictly a state dict must match the module it is loaded into.
namespace Kanade.IO;

/// <summary>Options of <see cref="StateDictLoader"/>. The defaults load strictly.</summary>
public sealed record StateDictLoadOptions
{
    /// <summary>
    /// True (default): any missing, unexpected or mis-shaped tensor throws one <see cref="WeightLoadException"/>
    /// listing them all, and nothing is copied. False: copy what matches and return the rest in the report.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// Module names under these prefixes may be absent from the source on purpose (e.g. an exported Kanade checkpoint
    /// lacks <c>ssl_feature_extractor.</c>, <c>feature_decoder.</c> and <c>conv_upsample.</c>); they are reported as
    /// <see cref="LoadReport.AbsentOnPurpose"/>, not as missing.
    /// </summary>
    public IReadOnlyList<string> AbsentPrefixes { get; init; } = [];

    /// <summary>Source names under these prefixes are dropped without complaint (e.g. a discriminator inside a full checkpoint).</summary>
    public IReadOnlyList<string> IgnoredPrefixes { get; init; } = [];

    /// <summary>Match weight-norm names to the module's convention first (<see cref="WeightNorm.MatchNames"/>). Default true.</summary>
    public bool MatchWeightNorm { get; init; } = true;

    /// <summary>
    /// A source tensor named like one of the module's non-persistent buffers (windows, filterbanks, kernels that the
    /// module computes itself) is never unexpected. By default it is left alone, the module's own values win; set
    /// this to copy it in when the shapes agree.
    /// </summary>
    public bool CopyNonPersistentBuffers { get; init; }

    /// <summary>Names the source (the file) in reports and errors; <see cref="StateDictLoader.LoadFile"/> sets it.</summary>
    public string? SourceName { get; init; }

    internal static bool Matches(string name, IReadOnlyList<string> prefixes) =>
        prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
}
