using System.CommandLine;

namespace Kanade.Cli.Infrastructure;

/// <summary>Options shared by every command.</summary>
internal static class CommonOptions
{
    /// <summary>The name of the verbose flag, looked up by name from any subcommand's parse result.</summary>
    public const string VerboseName = "--verbose";

    /// <summary><c>--verbose</c>: stack traces and extra detail on stderr; on the root, visible to every subcommand.</summary>
    public static Option<bool> CreateVerbose() => new(VerboseName, "-v")
    {
        Description = "Print details and, on failure, the stack trace.",
        Recursive = true,
    };
}
