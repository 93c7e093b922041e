namespace Kanade.Cli.Infrastructure;

/// <summary>
/// Where a run of the command tree writes and what can stop it: the console for the tool, captured writers and a
/// cancellation source for in-process tests.
/// </summary>
internal sealed class CliEnvironment
{
    /// <summary>Results (what a script would read).</summary>
    public required TextWriter Out { get; init; }
    /// <summary>Errors, warnings and progress.</summary>
    public required TextWriter Error { get; init; }
    /// <summary>Whether live progress bars may be drawn (a terminal on stderr).</summary>
    public bool Interactive { get; init; }
    /// <summary>Cancels the running command, as Ctrl+C does.</summary>
    public CancellationToken Cancellation { get; init; }
    /// <summary>Test seams of the bulk tokenizer (fault injection); null in the tool.</summary>
    public Tokenize.TokenizeHooks? TokenizeHooks { get; init; }

    /// <summary>The process console.</summary>
    public static CliEnvironment Console() => new()
    {
        Out = System.Console.Out,
        Error = System.Console.Error,
        Interactive = !System.Console.IsErrorRedirected,
    };
}
