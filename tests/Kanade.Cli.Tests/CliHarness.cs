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
    public static string Config => Fixtures.Path("tiny12", "model.yaml");
    public static string Weights => Fixtures.Path("tiny12", "model_full.safetensors");
    public static string[] Model => ["--config", Config, "--weights", Weights];
    public static string[] Vocoder => ["--vocoder-config", Fixtures.Path("tiny12", "vocos_config.yaml"), "--vocoder-weights", Fixtures.Path("tiny12", "vocos.safetensors")];

    /// <summary>The tiny12 model, loaded once.</summary>
    public static KanadeModel TinyModel => tiny.Value;
    static readonly Lazy<KanadeModel> tiny = new(() => KanadeModel.FromPretrained(Config, Weights));

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

/// <summary>A fresh folder under the temp directory, deleted on dispose.</summary>
sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kanade-cli-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public TempFolder() => Directory.CreateDirectory(Path);

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
