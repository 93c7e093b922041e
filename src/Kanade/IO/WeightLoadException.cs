namespace Kanade.IO;

/// <summary>
/// A strict state-dict load found missing, unexpected or mis-shaped tensors. The message lists every one of them
/// (name, expected shape, found shape) and the file; <see cref="Report"/> holds them as data. The module is unchanged.
/// </summary>
public sealed class WeightLoadException : Exception
{
    /// <summary>Creates the exception from a report.</summary>
    public WeightLoadException(LoadReport report)
        : base(report.Describe() + "\nNothing was loaded. Check that the weights belong to this configuration; "
             + "StateDictLoadOptions.AbsentPrefixes accepts parts left out on purpose, Strict = false loads what matches.")
        => Report = report;

    /// <summary>What did not match.</summary>
    public LoadReport Report { get; }
}
