using System.CommandLine;
using Kanade.Cli.Infrastructure;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade vc SOURCE REFERENCE OUT</c>: the source's words in the reference's voice (<see cref="KanadeModel.VoiceConversion"/>).</summary>
internal static class VcCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var source = new Argument<string>("SOURCE") { Description = "Recording whose content is kept." };
        var reference = new Argument<string>("REFERENCE") { Description = "Recording whose voice (global embedding) is used." };
        var output = new Argument<string>("OUT") { Description = "OUT.wav (through the vocoder) or OUT.safetensors (the mel)." };
        var model = new ModelOptions();
        var vocoder = new VocoderOptions();
        var device = DeviceSpec.CreateOption();
        var command = new Command("vc", "Voice conversion: SOURCE's content spoken with REFERENCE's voice.") { source, reference, output, device };
        model.AddTo(command);
        vocoder.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            string sourceFile = PathChecks.ExistingFile(context.Get(source), "SOURCE");
            string referenceFile = PathChecks.ExistingFile(context.Get(reference), "REFERENCE");
            string target = context.Get(output);
            bool wav = MelOutput.Check(context, target, vocoder);
            var where = DeviceSpec.Resolve(context.Get(device));
            using var kanade = model.Load(context, where);
            using var scope = NewDisposeScope();
            var mel = kanade.VoiceConversion(AudioFile.Load(sourceFile, kanade.Config.SampleRate).to(where),
                                             AudioFile.Load(referenceFile, kanade.Config.SampleRate).to(where));
            MelOutput.Write(context, kanade, mel, target, wav, vocoder, where);
            context.Out.WriteLine($"{target}: mel of {mel.shape[1]} frames" + (wav ? ", vocoded" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }
}
