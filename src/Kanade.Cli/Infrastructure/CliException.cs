namespace Kanade.Cli.Infrastructure;

/// <summary>A problem the command reports as one line and an exit code, never with a stack trace.</summary>
internal class CliException(string message, int exitCode = ExitCodes.Failed, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The exit code the tool returns for it.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>Bad usage found after parsing (conflicting options, a value only the command can judge): exit code 2.</summary>
    public static CliException Usage(string message) => new(message, ExitCodes.BadUsage);
}
