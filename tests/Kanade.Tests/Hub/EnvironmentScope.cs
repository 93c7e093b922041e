namespace Kanade.Tests.Hub;

/// <summary>Sets process environment variables and puts the previous values back on dispose (the test assembly runs tests one at a time).</summary>
public sealed class EnvironmentScope : IDisposable
{
    readonly Dictionary<string, string?> previous = [];

    public EnvironmentScope(IReadOnlyDictionary<string, string?> variables)
    {
        foreach (var (name, value) in variables)
        {
            previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
    }
}
