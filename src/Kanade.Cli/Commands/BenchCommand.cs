using System.CommandLine;
using Kanade.Cli.Infrastructure;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade bench</c>: speed and memory measurements (one subcommand per file under Commands/).</summary>
internal static class BenchCommand
{
    public static Command Create(CliEnvironment environment) => new("bench", "Measure speed and memory on this machine.")
    {
        BenchEncodeCommand.Create(environment),
        BenchTokenizeCommand.Create(environment),
        BenchLongAudioCommand.Create(environment),
        BenchModelCommand.Create(environment),
    };
}
