using System.CommandLine;
using Kanade.Cli.Infrastructure;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade resynth IN OUT</c>: encode, decode from the tokens, vocode: what a listener hears through the tokenizer.</summary>
internal static class ResynthCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var input = new Argument<string>("IN") { Description = "The recording to resynthesize." };
        var output = new Argument<string>("OUT") { Description = "OUT.wav (through the vocoder) or OUT.safetensors (the mel)." };
        var model = new ModelOptions();
        var vocoder = new VocoderOptions();
        var window = new WindowOptions();
        var device = DeviceSpec.CreateOption();
        var command = new Command("resynth", "Resynthesize a recording through its tokens: encode, decode the tokens, vocode.") { input, output, device };
        model.AddTo(command);
        vocoder.AddTo(command);
        window.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            string file = PathChecks.ExistingFile(context.Get(input), "IN"), target = context.Get(output);
            bool wav = MelOutput.Check(context, target, vocoder);
            var where = DeviceSpec.Resolve(context.Get(device));
            using var kanade = model.Load(context, where);
            using var scope = NewDisposeScope();
            var waveform = AudioFile.Load(file, kanade.Config.SampleRate).to(where);
            using var features = window.Create(context, kanade).Encode(waveform, returnContentEmbedding: false);
            var mel = kanade.Decode(features.GlobalEmbedding!, contentTokenIndices: features.ContentTokenIndices, targetAudioLength: waveform.shape[0]);
            MelOutput.Write(context, kanade, mel, target, wav, vocoder, where);
            context.Out.WriteLine($"{target}: {features.ContentTokenIndices!.shape[0]} tokens, mel of {mel.shape[1]} frames" + (wav ? ", vocoded" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }
}
