using Kanade.Cli;
using Kanade.Cli.Infrastructure;
using Kanade.Cli.Tokenize;
using Kanade.Tests;

namespace Kanade.Cli.Tests;

/// <summary>What one in-process run of the command tree gave.</summary>
sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs the <c>kanade</c> command tree in-process with captured output; paths of the tiny fixture model.</summary>
static class CliHarness
{
    public static string Config => TinyModels.Config("tiny12");
    public static string Weights => TinyModels.Weights("tiny12");
    public static string[] Model => ["--config", Config, "--weights", Weights];
    public static string[] Vocoder => ["--vocoder-config", Fixtures.Path("tiny12", "vocos_config.yaml"), "--vocoder-weights", Fixtures.Path("tiny12", "vocos.safetensors")];

    /// <summary>The tiny12 model, loaded once.</summary>
    public static KanadeModel TinyModel => TinyModels.Get("tiny12");

    public static CliResult Run(params string[] args) => Run(args, null, default);

    public static CliResult Run(IReadOnlyList<string> args, TokenizeHooks? hooks, CancellationToken cancellation)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = KanadeCli.Run(args, new CliEnvironment
        {
            Out = output, Error = error, Interactive = false, Cancellation = cancellation, TokenizeHooks = hooks,
        });
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Asserts the exit code, showing the run's output when it differs.</summary>
    public static CliResult Expect(this CliResult result, int exitCode)
    {
        Assert.AreEqual(exitCode, result.ExitCode, $"stdout:\n{result.Out}\nstderr:\n{result.Error}");
        return result;
    }
}

