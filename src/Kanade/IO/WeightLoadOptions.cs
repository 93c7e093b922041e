// What to take from a weights file, and in which dtype.
using TorchSharp;

namespace Kanade.IO;

/// <summary>
/// Selects and converts tensors while a weights file is read. Only the selected tensors are read from disk.
/// </summary>
public sealed record WeightLoadOptions
{
    /// <summary>
    /// Keep only names starting with this prefix and strip it (e.g. <c>model.</c> of a Lightning checkpoint,
    /// <c>ssl_feature_extractor.model.</c> of a full state dict); null keeps every name.
    /// </summary>
    public string? Prefix { get; init; }

    /// <summary>Keep only names (after <see cref="Prefix"/> is stripped) for which this returns true; null keeps all.</summary>
    public Func<string, bool>? Include { get; init; }

    /// <summary>Convert floating-point tensors (F16, BF16, F32, F64) to this dtype; integer and bool tensors are kept. Null keeps the stored dtype.</summary>
    public torch.ScalarType? FloatingDType { get; init; }

    /// <summary>Default options: every tensor, stored dtypes.</summary>
    public static WeightLoadOptions All { get; } = new();

    /// <summary>The name a stored tensor gets, or null when it is not selected.</summary>
    internal string? Select(string storedName)
    {
        string name = storedName;
        if (Prefix is not null)
        {
            if (!storedName.StartsWith(Prefix, StringComparison.Ordinal)) return null;
            name = storedName[Prefix.Length..];
        }
        return Include is null || Include(name) ? name : null;
    }

    /// <summary>Applies <see cref="FloatingDType"/>, disposing the original when a converted copy replaces it.</summary>
    internal torch.Tensor Convert(torch.Tensor tensor)
    {
        if (FloatingDType is not { } target || !tensor.is_floating_point() || tensor.dtype == target) return tensor;
        var converted = tensor.to_type(target);
        tensor.Dispose();
        return converted;
    }
}
