// What a state-dict load did, name by name.
using System.Text;
using TorchSharp;

namespace Kanade.IO;

/// <summary>A tensor whose shape (or kind of dtype: floating, integer, bool, complex) differs between module and source.</summary>
/// <param name="Name">State-dict name.</param>
/// <param name="ExpectedShape">The module's shape.</param>
/// <param name="FoundShape">The source's shape.</param>
/// <param name="ExpectedDType">The module's dtype.</param>
/// <param name="FoundDType">The source's dtype.</param>
public sealed record TensorMismatch(string Name, long[] ExpectedShape, long[] FoundShape, torch.ScalarType ExpectedDType, torch.ScalarType FoundDType)
{
    /// <summary>One line: name, expected and found shape and dtype.</summary>
    public override string ToString() =>
        $"{Name}: expected {LoadReport.Shape(ExpectedShape)} {ExpectedDType}, found {LoadReport.Shape(FoundShape)} {FoundDType}";
}

/// <summary>The outcome of <see cref="StateDictLoader"/>: what was copied and what did not match.</summary>
/// <param name="Source">The file (or description) loaded from; null when unnamed.</param>
/// <param name="Target">The module's type name.</param>
/// <param name="Loaded">Names copied into the module (none when a strict load failed).</param>
/// <param name="Missing">Module names the source lacks, with the module's shape.</param>
/// <param name="Unexpected">Source names the module does not have, with the source's shape.</param>
/// <param name="Mismatched">Names present in both whose shape or kind of dtype differ.</param>
/// <param name="AbsentOnPurpose">Module names missing from the source under <see cref="StateDictLoadOptions.AbsentPrefixes"/>.</param>
/// <param name="Ignored">Source names dropped under <see cref="StateDictLoadOptions.IgnoredPrefixes"/>.</param>
/// <param name="NonPersistent">Source names that are non-persistent buffers of the module (copied only on request).</param>
public sealed record LoadReport(
    string? Source,
    string Target,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<(string Name, long[] Shape)> Missing,
    IReadOnlyList<(string Name, long[] Shape)> Unexpected,
    IReadOnlyList<TensorMismatch> Mismatched,
    IReadOnlyList<string> AbsentOnPurpose,
    IReadOnlyList<string> Ignored,
    IReadOnlyList<string> NonPersistent)
{
    /// <summary>True when nothing is missing, unexpected or mis-shaped.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>A summary line followed by one line per missing, unexpected and mis-shaped tensor.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append($"Loading {(Source is null ? "a state dict" : $"'{Source}'")} into {Target}: ");
        text.Append($"{Loaded.Count} loaded, {Missing.Count} missing, {Unexpected.Count} unexpected, {Mismatched.Count} mis-shaped");
        if (AbsentOnPurpose.Count > 0) text.Append($", {AbsentOnPurpose.Count} absent on purpose");
        if (Ignored.Count > 0) text.Append($", {Ignored.Count} ignored");
        text.Append('.');
        foreach (var (name, shape) in Missing) text.Append($"\n  missing:    {name} {Shape(shape)}");
        foreach (var (name, shape) in Unexpected) text.Append($"\n  unexpected: {name} {Shape(shape)}");
        foreach (var mismatch in Mismatched) text.Append($"\n  mis-shaped: {mismatch}");
        return text.ToString();
    }

    internal static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
