namespace Kanade.Tests;

/// <summary>Sets process environment variables and puts the previous values back on dispose (the test assemblies run tests one at a time).</summary>
public sealed class EnvironmentScope : IDisposable
{
    readonly Dictionary<string, string?> previous = [];

    /// <summary>Sets each variable to its value; a null value removes the variable.</summary>
    public EnvironmentScope(IReadOnlyDictionary<string, string?> variables)
    {
        foreach (var (name, value) in variables)
        {
            previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>Restores every variable to what it was before.</summary>
    public void Dispose()
    {
        foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
    }
}
