using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Cli.Infrastructure;

/// <summary>Where a mel goes: a .safetensors file (tensor <c>mel</c>, (n_mels, frames)) or, through a vocoder, a .wav file.</summary>
internal static class MelOutput
{
    /// <summary>The extensions a mel output may have.</summary>
    public static readonly string[] Extensions = [".wav", ".safetensors"];

    /// <summary>Checks the output name and, for WAV, the vocoder options; returns whether a WAV is asked for.</summary>
    public static bool Check(CommandContext context, string output, VocoderOptions vocoder)
    {
        bool wav = PathChecks.Extension(output, "the output", Extensions) == ".wav";
        if (wav) vocoder.Require(context, output);
        return wav;
    }

    /// <summary>Writes <paramref name="mel"/> as asked.</summary>
    public static void Write(CommandContext context, KanadeModel model, Tensor mel, string output, bool wav, VocoderOptions vocoderOptions, Device device)
    {
        PathChecks.EnsureParent(output);
        if (!wav)
        {
            SafeTensors.Save(output, new Dictionary<string, Tensor> { ["mel"] = mel.cpu() },
                new Dictionary<string, string> { ["sample_rate"] = model.Config.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            return;
        }
        using var vocoder = vocoderOptions.Load(context, model, device);
        vocoderOptions.WriteWav(context, vocoder, mel, output);
    }
}
