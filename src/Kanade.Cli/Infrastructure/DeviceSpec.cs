using System.CommandLine;
using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Cli.Infrastructure;

/// <summary>The <c>--device</c> option: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (a comma-separated list where several workers run).</summary>
internal static partial class DeviceSpec
{
    const string Accepted = "cpu, cuda or cuda:N";

    [GeneratedRegex("^(cpu|cuda|cuda:[0-9]+)$")]
    private static partial Regex DevicePattern();

    /// <summary><c>--device</c> taking one device.</summary>
    public static Option<string> CreateOption() => Validated(new Option<string>("--device", "-d")
    {
        Description = $"Where the model runs: {Accepted}.",
        DefaultValueFactory = _ => "cpu",
        HelpName = "cpu|cuda|cuda:N",
    }, allowList: false);

    /// <summary><c>--device</c> taking a comma-separated list; each device gets a worker.</summary>
    public static Option<string> CreateListOption() => Validated(new Option<string>("--device", "-d")
    {
        Description = $"Where the model runs: {Accepted}; a comma-separated list (cuda:0,cuda:1) gives each device a worker.",
        DefaultValueFactory = _ => "cpu",
        HelpName = "cpu|cuda|cuda:N[,...]",
    }, allowList: true);

    static Option<string> Validated(Option<string> option, bool allowList)
    {
        option.Validators.Add(result =>
        {
            string text = result.GetValueOrDefault<string>() ?? "";
            var parts = Split(text);
            if (parts.Count == 0) result.AddError($"--device is empty; expected {Accepted}.");
            else if (!allowList && parts.Count > 1) result.AddError($"--device '{text}' names several devices; this command runs on one ({Accepted}).");
            else if (parts.FirstOrDefault(p => !DevicePattern().IsMatch(p)) is { } bad)
                result.AddError($"--device '{bad}' is not a device; expected {Accepted}.");
            else if (parts.Distinct().Count() != parts.Count) result.AddError($"--device '{text}' names a device twice.");
        });
        return option;
    }

    /// <summary>The device names of a list, trimmed.</summary>
    public static IReadOnlyList<string> Split(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A TorchSharp device for a validated name, checking that CUDA and the index exist.</summary>
    /// <param name="name">cpu, cuda or cuda:N.</param>
    /// <param name="fewShapes">
    /// The command meets few distinct tensor shapes (bulk tokenization, whose batches are rounded up to
    /// <see cref="KanadeLengths.BatchLength(long)"/>'s grid; training on fixed crops), so on CUDA SDPA may use cuDNN's
    /// attention: it builds a graph for every new shape (45-314 ms each on an H200) and then runs bulk batches 2-4x
    /// faster than the memory-efficient kernel. Commands on single utterances of any length leave it off: there a new
    /// length met cuDNN's graph build on nearly every call (a first 10 s encode took 194 ms with it, 55 ms without).
    /// </param>
    public static Device Resolve(string name, bool fewShapes = false)
    {
        if (name == "cpu") return CPU;
        if (!torch.cuda.is_available())
            throw new CliException($"--device {name}: CUDA is not available here (no GPU, or the tool was built with TorchBackend=cpu; " +
                                   "build with -p:TorchBackend=cuda or external).");
        int index = name == "cuda" ? 0 : int.Parse(name["cuda:".Length..], System.Globalization.CultureInfo.InvariantCulture);
        int count = torch.cuda.device_count();
        if (index >= count) throw new CliException($"--device {name}: this machine has {count} CUDA device(s) (cuda:0..cuda:{count - 1}).");
        try
        {
            CudnnAttention.Enabled = fewShapes;
        }
        catch (EntryPointNotFoundException)
        {
            // A libtorch without this switch (another version's mangled names): PyTorch's default stays.
        }
        return torch.device(DeviceType.CUDA, index);
    }
}
