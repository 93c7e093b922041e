using System.CommandLine;
using Kanade.Vocoders;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Cli.Infrastructure;

/// <summary>
/// <c>--vocoder</c>, <c>--vocoder-config</c>, <c>--vocoder-weights</c>, <c>--seed</c>, <c>--wav-encoding</c>: what turns
/// a mel into a WAV file, for the commands whose output may be a .wav.
/// </summary>
internal sealed class VocoderOptions
{
    public Option<string?> Name { get; } = new("--vocoder")
    {
        Description = "vocos or hift (default: the model config's vocoder_name).",
        HelpName = "NAME",
    };

    public Option<string?> Config { get; } = new("--vocoder-config")
    {
        Description = "Vocoder config (Vocos config.yaml, HiFT JSON); default: the published architecture.",
        HelpName = "FILE",
    };

    public Option<string?> Weights { get; } = new("--vocoder-weights")
    {
        Description = "Vocoder weights (pytorch_model.bin, hift.pt, .safetensors) or a folder of the published files; needed for .wav output.",
        HelpName = "FILE|DIR",
    };

    public Option<long?> Seed { get; } = new("--seed") { Description = "Seed of HiFT's excitation noise, for reproducible output." };

    public Option<string> Encoding { get; } = new("--wav-encoding")
    {
        Description = "Sample format of WAV output.",
        DefaultValueFactory = _ => "pcm16",
    };

    public VocoderOptions()
    {
        Name.AcceptOnlyFromAmong(Vocoder.VocosName, Vocoder.HiftName);
        Encoding.AcceptOnlyFromAmong("pcm16", "float32");
    }

    public void AddTo(Command command)
    {
        command.Add(Name);
        command.Add(Config);
        command.Add(Weights);
        command.Add(Seed);
        command.Add(Encoding);
    }

    /// <summary>Bad usage unless the vocoder weights are given (a WAV is asked for).</summary>
    public void Require(CommandContext context, string output)
    {
        if (context.Parse.GetValue(Weights) is null)
            throw CliException.Usage($"writing '{output}' (a WAV file) needs a vocoder: pass --vocoder-weights (or write a .safetensors mel instead).");
        PathChecks.OptionalFile(context.Parse.GetValue(Config), "--vocoder-config");
        string weights = context.Parse.GetValue(Weights)!;
        if (!Directory.Exists(weights)) PathChecks.ExistingFile(weights, "--vocoder-weights");
    }

    /// <summary>Loads the vocoder named by the options (or by the model config) onto <paramref name="device"/>.</summary>
    public IVocoder Load(CommandContext context, KanadeModel model, Device device)
    {
        var vocoder = Open(context.Parse.GetValue(Name) ?? model.Config.VocoderName, context.Parse.GetValue(Config),
                           context.Parse.GetValue(Weights)!, model.Config.NMels, "config n_mels");
        if (vocoder is nn.Module module && device.type != DeviceType.CPU) module.to(device);
        if (vocoder is HiftGenerator hift && context.Parse.GetValue(Seed) is long seed) hift.Generator = new Generator((ulong)seed, device);
        return vocoder;
    }

    /// <summary>
    /// Loads vocoder <paramref name="name"/> (on the CPU) from <paramref name="weights"/>, a folder of the published files
    /// or a weights file with an optional <paramref name="config"/>, and fails unless it takes the model's
    /// <paramref name="melBins"/> (named <paramref name="melBinsKey"/> in the message).
    /// </summary>
    public static IVocoder Open(string name, string? config, string weights, int melBins, string melBinsKey)
    {
        var vocoder = Directory.Exists(weights) ? Vocoder.FromPretrained(name, weights) : Vocoder.FromPretrained(name, config, weights);
        if (vocoder.MelBins != melBins)
        {
            vocoder.Dispose();
            throw new CliException($"--vocoder {name} expects {vocoder.MelBins} mel bins but the model makes {melBins} ({melBinsKey}).");
        }
        return vocoder;
    }

    /// <summary>Vocodes <paramref name="mel"/> (n_mels, frames) and writes the WAV file.</summary>
    public void WriteWav(CommandContext context, IVocoder vocoder, Tensor mel, string path)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var speech = vocoder.Vocode(mel.unsqueeze(0)).squeeze(0);                     // (1, n_mels, T) -> (1, S) -> (S,)
        var encoding = context.Get(Encoding) == "float32" ? AudioEncoding.Float32 : AudioEncoding.Pcm16;
        AudioFile.Write(path, speech, vocoder.SampleRate, encoding);
    }
}
