using System.CommandLine;
using Kanade.Cli.Features;
using Kanade.Cli.Infrastructure;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade decode FEATURES</c>: tokens (or content embedding) and a global embedding back to a mel or speech.</summary>
internal static class DecodeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var input = new Argument<string>("FEATURES") { Description = "A features file from 'kanade encode' (.safetensors or .json); tokens are used when present." };
        var output = new Option<string>("--output", "-o") { Description = "mel.safetensors, or speech.wav through the vocoder.", Required = true, HelpName = "OUT" };
        var model = new ModelOptions();
        var vocoder = new VocoderOptions();
        var device = DeviceSpec.CreateOption();
        var command = new Command("decode", "Decode content tokens and a global embedding to a mel spectrogram or, with a vocoder, to speech.") { input, output, device };
        model.AddTo(command);
        vocoder.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            string file = PathChecks.ExistingFile(context.Get(input), "FEATURES"), target = context.Get(output);
            bool wav = MelOutput.Check(context, target, vocoder);
            var where = DeviceSpec.Resolve(context.Get(device));
            using var features = FeatureFile.Read(file);
            using var kanade = model.Load(context, where);
            using var scope = NewDisposeScope();
            var mel = features.ContentTokenIndices is { } tokens
                ? kanade.Decode(features.GlobalEmbedding!, contentTokenIndices: tokens)
                : kanade.Decode(features.GlobalEmbedding!, contentEmbedding: features.ContentEmbedding);
            MelOutput.Write(context, kanade, mel, target, wav, vocoder, where);
            context.Out.WriteLine($"{target}: mel of {mel.shape[1]} frames" + (wav ? ", vocoded" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }
}
