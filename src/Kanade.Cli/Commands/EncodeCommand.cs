using System.CommandLine;
using Kanade.Cli.Features;
using Kanade.Cli.Infrastructure;
using static TorchSharp.torch;

namespace Kanade.Cli.Commands;

/// <summary><c>kanade encode FILE</c>: content tokens, content embedding and global embedding of one recording.</summary>
internal static class EncodeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var input = new Argument<string>("FILE") { Description = "The recording (WAV, FLAC, OGG, MP3... anything libsndfile reads)." };
        var output = new Option<string>("--output", "-o") { Description = "Where the features go: .safetensors or .json.", Required = true, HelpName = "OUT" };
        var model = new ModelOptions();
        var device = DeviceSpec.CreateOption();
        var window = new WindowOptions();
        var command = new Command("encode", "Encode one recording to content tokens, content embedding and global embedding.") { input, output, device };
        model.AddTo(command);
        window.AddTo(command);
        CommandRunner.SetBody(command, environment, context =>
        {
            string file = PathChecks.ExistingFile(context.Get(input), "FILE"), target = context.Get(output);
            PathChecks.Extension(target, "--output", ".safetensors", ".json");
            var where = DeviceSpec.Resolve(context.Get(device));
            using var kanade = model.Load(context, where);
            using var scope = NewDisposeScope();
            var waveform = AudioFile.Load(file, kanade.Config.SampleRate).to(where);
            using var features = window.Create(context, kanade).Encode(waveform);
            PathChecks.EnsureParent(target);
            FeatureFile.Write(target, features, FeatureFile.Metadata(kanade, file, waveform.shape[0]));
            context.Out.WriteLine($"{target}: {features.ContentTokenIndices!.shape[0]} tokens ({waveform.shape[0] / (double)kanade.Config.SampleRate:F2} s at {kanade.TokenRate} tokens/s)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
