// Port of kanade-tokenizer util.py load_vocoder (MIT): the vocoders a model config names, from their published files.
using Kanade.IO.Hub;

namespace Kanade;

public static partial class Vocoder
{
    /// <summary>
    /// Loads the vocoder a model config names (<c>model.Config.VocoderName</c>) from its published files:
    /// <c>vocos</c> from <c>charactr/vocos-mel-24khz</c> (<c>config.yaml</c>, <c>pytorch_model.bin</c>), <c>hift</c> from
    /// <c>FunAudioLLM/CosyVoice2-0.5B</c> (<c>hift.pt</c>, CosyVoice 2's architecture). Files come from the Hugging Face
    /// cache, downloaded on first use (progress on standard error), as for <see cref="KanadeModel.FromPretrained(string)"/>.
    /// CPU, eval mode.
    /// </summary>
    /// <exception cref="ArgumentException">Another name (the message lists the accepted ones).</exception>
    /// <exception cref="HubFileNotCachedException">Offline or unreachable, and a file is not cached (the message says where to place it).</exception>
    public static IVocoder FromPretrained(string name)
    {
        using var hub = new HubClient { DownloadProgress = DownloadProgressWriter.To(Console.Error) };
        return FromPretrained(name, hub);
    }

    /// <summary>As <see cref="FromPretrained(string)"/>, through <paramref name="hub"/> (its settings, cache and progress).</summary>
    public static IVocoder FromPretrained(string name, HubClient hub)
    {
        var files = PretrainedFiles.ForVocoder(name, hub);
        return FromPretrained(files.Name, files.ConfigPath, files.WeightsPath);
    }
}
