namespace Kanade.Cli.Infrastructure;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;
    /// <summary>The command ran and failed (a file, the model, too many bad inputs...).</summary>
    public const int Failed = 1;
    /// <summary>The command line itself was wrong: unknown option, missing argument, bad value.</summary>
    public const int BadUsage = 2;
}
