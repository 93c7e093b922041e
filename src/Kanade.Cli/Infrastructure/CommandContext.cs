using System.CommandLine;

namespace Kanade.Cli.Infrastructure;

/// <summary>What a command's body gets: its parsed arguments, where to write, and its cancellation.</summary>
internal sealed class CommandContext(ParseResult parse, CliEnvironment environment, CancellationToken cancellation)
{
    /// <summary>The parsed command line.</summary>
    public ParseResult Parse { get; } = parse;
    /// <summary>The writers and hooks of this run.</summary>
    public CliEnvironment Environment { get; } = environment;
    /// <summary>Set on Ctrl+C or by a test.</summary>
    public CancellationToken Cancellation { get; } = cancellation;
    /// <summary>Results.</summary>
    public TextWriter Out => Environment.Out;
    /// <summary>Errors, warnings, progress.</summary>
    public TextWriter Error => Environment.Error;
    /// <summary>Whether <c>--verbose</c> was given.</summary>
    public bool Verbose => Parse.GetValue<bool>(CommonOptions.VerboseName);

    /// <summary>The value of an option or argument.</summary>
    public T Get<T>(Option<T> option) => Parse.GetValue(option)!;
    /// <summary>The value of an argument.</summary>
    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;
    /// <summary>Whether the user gave <paramref name="option"/> on the command line.</summary>
    public bool Given(Option option) => Parse.GetResult(option) is { Implicit: false };

    /// <summary>A line on stderr, only under <c>--verbose</c>.</summary>
    public void Trace(string line)
    {
        if (Verbose) Error.WriteLine(line);
    }
}
