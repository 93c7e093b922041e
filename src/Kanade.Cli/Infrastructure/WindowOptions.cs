using System.CommandLine;
using Kanade.Cli.LongAudio;

namespace Kanade.Cli.Infrastructure;

/// <summary><c>--window-seconds</c> and <c>--window-context-seconds</c>: how recordings longer than a window are encoded.</summary>
internal sealed class WindowOptions
{
    public Option<double> Seconds { get; } = NonNegative(new Option<double>("--window-seconds")
    {
        Description = "Recordings longer than this are encoded in overlapping windows, tokens stitched at window centres (0: never).",
        DefaultValueFactory = _ => 30,
    });

    public Option<double> Context { get; } = NonNegative(new Option<double>("--window-context-seconds")
    {
        Description = "Overlap dropped at each inner window edge.",
        DefaultValueFactory = _ => 5,
    });

    public void AddTo(Command command)
    {
        command.Add(Seconds);
        command.Add(Context);
    }

    /// <summary>Bad usage when the context does not leave a centre in each window.</summary>
    public (double Seconds, double Context) Check(CommandContext context)
    {
        double window = context.Get(Seconds), overlap = context.Get(Context);
        if (window > 0 && 2 * overlap >= window)
            throw CliException.Usage($"--window-context-seconds {overlap} must be under half of --window-seconds {window}.");
        return (window, overlap);
    }

    public WindowedEncoder Create(CommandContext context, KanadeModel model)
    {
        var (window, overlap) = Check(context);
        return new(model, window, overlap);
    }

    static Option<double> NonNegative(Option<double> option)
    {
        option.Validators.Add(r => { if (r.GetValueOrDefault<double>() < 0) r.AddError($"{option.Name} must not be negative, got {r.GetValueOrDefault<double>()}."); });
        return option;
    }
}
