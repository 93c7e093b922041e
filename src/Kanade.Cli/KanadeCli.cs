using System.CommandLine;
using System.CommandLine.Help;
using Kanade.Cli.Commands;
using Kanade.Cli.Infrastructure;

namespace Kanade.Cli;

/// <summary>
/// The <c>kanade</c> command tree. Each command lives in its own file under <c>Commands/</c> and is added here with
/// one line; <see cref="Run(IReadOnlyList{string}, CliEnvironment)"/> parses, reports bad usage with exit code 2 and
/// invokes.
/// </summary>
internal static class KanadeCli
{
    /// <summary>Builds the whole command tree for one run.</summary>
    public static Command BuildRootCommand(CliEnvironment environment)
    {
        // A plain command named as the tool (a RootCommand takes the process name: Kanade.Cli, or testhost in tests).
        var root = new Command("kanade", "Kanade speech tokenizer: speech to content tokens and a global embedding, and back.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Add(CommonOptions.CreateVerbose());
        root.Add(EncodeCommand.Create(environment));
        root.Add(DecodeCommand.Create(environment));
        root.Add(ResynthCommand.Create(environment));
        root.Add(VcCommand.Create(environment));
        root.Add(TokenizeCommand.Create(environment));
        root.Add(DumpDatasetCommand.Create(environment));
        root.Add(ExportSafetensorsCommand.Create(environment));
        root.Add(InfoCommand.Create(environment));
        root.Add(BenchCommand.Create(environment));
        foreach (var command in TrainingCommands.Create(environment)) root.Add(command);
        return root;
    }

    /// <summary>Runs the tool on the process console.</summary>
    public static int Run(string[] args) => Run(args, CliEnvironment.Console());

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (0 ok, 1 failed, 2 bad usage).</summary>
    public static int Run(IReadOnlyList<string> args, CliEnvironment environment)
    {
        var root = BuildRootCommand(environment);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            string name = "kanade " + CommandRunner.CommandPath(parse);
            foreach (var error in parse.Errors) environment.Error.WriteLine($"{name.TrimEnd()}: error: {error.Message}");
            environment.Error.WriteLine($"Run '{name.TrimEnd()} --help' for usage.");
            return ExitCodes.BadUsage;
        }
        return parse.Invoke(new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,
            EnableDefaultExceptionHandler = false,
        });
    }
}
