// Port of kanade-tokenizer script/dump_dataset.py (MIT).
using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using Kanade.Cli.Dataset;
using Kanade.Cli.Infrastructure;
using Kanade.Training.Data;

namespace Kanade.Cli.Commands;

/// <summary>
/// <c>kanade dump-dataset DIR</c>: the manifest (audio_id, path relative to DIR, length, sample_rate) of the audio
/// files under a folder, read from their headers in parallel; unreadable files are reported and left out.
/// </summary>
internal static class DumpDatasetCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var directory = new Argument<string>("DIR") { Description = "Folder to scan." };
        var pattern = new Option<string>("--pattern", "-p") { Description = "Glob relative to DIR (** for any depth).", DefaultValueFactory = _ => "**/*.wav", HelpName = "GLOB" };
        var output = new Option<string>("--output", "-o") { Description = "Manifest to write: .csv or .parquet.", Required = true, HelpName = "MANIFEST" };
        var workers = TokenizeCommand.Positive(new Option<int>("--workers", "-j") { Description = "Files read in parallel.", DefaultValueFactory = _ => 8 });
        var command = new Command("dump-dataset", "Write the manifest (audio_id,path,length,sample_rate) of a folder of audio files.") { directory, pattern, output, workers };
        CommandRunner.SetBody(command, environment, context =>
        {
            string root = PathChecks.ExistingDirectory(context.Get(directory), "DIR"), target = context.Get(output);
            PathChecks.Extension(target, "--output", ".csv", ".parquet");
            var files = AudioGlob.Match(root, context.Get(pattern));
            context.Error.WriteLine($"Found {files.Count} audio files matching '{context.Get(pattern)}' in '{root}'.");
            var found = new (long Frames, int SampleRate)?[files.Count];
            var problems = new ConcurrentBag<(int Index, string Message)>();
            ProgressDisplay.Run(context.Environment, "dump-dataset", files.Count, showAudioRate: false, progress =>
            {
                Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = context.Get(workers), CancellationToken = context.Cancellation }, i =>
                {
                    try
                    {
                        var info = AudioFile.Info(Path.Combine(root, files[i]));
                        found[i] = (info.Frames, info.SampleRate);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        problems.Add((i, e is AudioFileException audio ? audio.Problem : e.Message));
                    }
                    progress.Advance(1);
                });
                return 0;
            });
            foreach (var (index, message) in problems.OrderBy(p => p.Index))
                context.Error.WriteLine($"warning: skipped '{files[index]}': {message}");

            (long Frames, int SampleRate) Found(int i) => found[i]!.Value;
            var readable = Enumerable.Range(0, files.Count).Where(i => found[i] is not null).ToList();
            if (readable.Count == 0) throw new CliException($"no readable audio files matched '{context.Get(pattern)}' in '{root}'.");
            var ids = AudioGlob.UniqueIds(readable.Select(i => files[i]));
            var entries = readable.Select((i, k) => new AudioManifestEntry(ids[k], files[i], Found(i).Frames, Found(i).SampleRate)).ToList();
            PathChecks.EnsureParent(target);
            AudioManifest.Write(target, entries);

            double hours = entries.Sum(e => e.SampleRate > 0 ? (double)e.Length / e.SampleRate : 0) / 3600;
            string rates = string.Join(", ", entries.Select(e => e.SampleRate).Distinct().Order());
            string skipped = problems.IsEmpty ? "" : $"; {problems.Count} unreadable files skipped";
            context.Out.WriteLine(FormattableString.Invariant($"{target}: {entries.Count} files, sample rates [{rates}], {entries.Sum(e => e.Length):N0} samples, {hours:F2} hours{skipped}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
