// The training commands of the `kanade` tool (the reference's `cli.py fit | validate | test | predict`).
using System.CommandLine;
using Kanade.Cli.Infrastructure;

namespace Kanade.Cli.Commands;

/// <summary>Builds <c>fit</c>, <c>validate</c>, <c>test</c> and <c>predict</c> for registration on the root command.</summary>
internal static class TrainingCommands
{
    /// <summary>The four commands, each taking <c>--config X.yaml</c> and jsonargparse-style <c>--dotted.key value</c> overrides.</summary>
    public static IReadOnlyList<Command> Create(CliEnvironment environment) =>
    [
        FitCommand.Create(environment), EvaluateCommand.Validate(environment),
        EvaluateCommand.Test(environment), PredictCommand.Create(environment),
    ];
}
