using System.CommandLine;
using Kanade.IO;

namespace Kanade.Cli.Infrastructure;

/// <summary>
/// Runs a command's body and turns what it throws into one line on stderr and an exit code: 2 for bad usage, 1 for
/// every failure, the stack trace only under <c>--verbose</c>.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="body"/> under the tool's error handling.</summary>
    public static void SetBody(Command command, CliEnvironment environment, Func<CommandContext, int> body)
    {
        command.SetAction((parse, token) => Task.FromResult(Run(command, parse, environment, token, body)));
    }

    static int Run(Command command, ParseResult parse, CliEnvironment environment, CancellationToken token, Func<CommandContext, int> body)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, environment.Cancellation);
        var context = new CommandContext(parse, environment, linked.Token);
        string name = "kanade " + CommandPath(parse);
        try
        {
            return body(context);
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            environment.Error.WriteLine($"{name}: error: {message}");
            if (code == ExitCodes.BadUsage) environment.Error.WriteLine($"Run '{name} --help' for usage.");
            if (context.Verbose) environment.Error.WriteLine(e.ToString());
            else if (code == ExitCodes.Failed && !IsExpected(e)) environment.Error.WriteLine("(run with --verbose for the stack trace)");
            return code;
        }
    }

    /// <summary>The command names from the root down, e.g. <c>bench encode</c>.</summary>
    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            names.Insert(0, result.Command.Name);
        return string.Join(' ', names);
    }

    static (int Code, string Message) Describe(Exception e) => e switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        OperationCanceledException => (ExitCodes.Failed, "cancelled; finished work is kept, rerun the same command to go on."),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        DllNotFoundException dll => (ExitCodes.Failed, $"a native library is missing: {dll.Message} (libsndfile1 for audio, libtorch for the model)."),
        _ when IsExpected(e) => (ExitCodes.Failed, e.Message),
        _ => (ExitCodes.Failed, $"unexpected {e.GetType().Name}: {e.Message}"),
    };

    /// <summary>Exceptions whose message already names the file, key or value at fault.</summary>
    static bool IsExpected(Exception e) => e is CliException or IOException or UnauthorizedAccessException or InvalidDataException
        or ConfigException or WeightLoadException or ArgumentException or NotSupportedException or OperationCanceledException
        or FormatException or System.Text.Json.JsonException;
}
