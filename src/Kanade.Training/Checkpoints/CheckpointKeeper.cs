// Lightning's ModelCheckpoint as kanade fit applies it: top-k by a monitored metric, or the latest, and `last`.
using Kanade.IO;
using Kanade.Training.Config;
using Kanade.Training.Fit;

namespace Kanade.Training.Checkpoints;

/// <summary>
/// Decides which checkpoints one <c>ModelCheckpoint</c> callback keeps. With <c>monitor</c>: the <c>save_top_k</c> best by
/// it (<c>mode</c> min or max; -1 keeps every one), worse ones deleted. Without: the latest only (<c>save_top_k</c> 1) or all
/// (-1). With <c>save_last</c>: also <c>last.safetensors</c>, a copy of the newest state. Every file is written whole
/// under a temporary name and renamed, so a crash never leaves a partial checkpoint.
/// </summary>
public sealed class CheckpointKeeper
{
    /// <summary>Name (without extension) of the newest-state checkpoint.</summary>
    public const string LastName = "last";

    readonly ModelCheckpointCallback callback;
    readonly List<(string Path, double Score)> best = [];
    string? latest;

    /// <summary>Creates the keeper writing into <paramref name="directory"/> (the callback's <c>dirpath</c>, resolved by the caller, when set).</summary>
    /// <exception cref="ArgumentException">A setting Lightning refuses too (mode, top-k without monitor).</exception>
    public CheckpointKeeper(ModelCheckpointCallback callback, string directory)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (callback.Mode is not ("min" or "max"))
            throw new ArgumentException($"ModelCheckpoint mode '{callback.Mode}' is not supported; expected 'min' or 'max'.");
        if (callback.Monitor is null && callback.SaveTopK is not (-1 or 0 or 1))
            throw new ArgumentException($"ModelCheckpoint save_top_k = {callback.SaveTopK} needs a monitor; without one use -1, 0 or 1.");
        if (callback.EveryNTrainSteps is < 1)
            throw new ArgumentException($"ModelCheckpoint every_n_train_steps must be positive, got {callback.EveryNTrainSteps}.");
        this.callback = callback;
        Directory = directory;
    }

    /// <summary>Folder of the checkpoints.</summary>
    public string Directory { get; }

    /// <summary>The metric ranking checkpoints, if any.</summary>
    public string? Monitor => callback.Monitor;

    /// <summary>Whether a checkpoint is due after training step <paramref name="step"/> (<c>every_n_train_steps</c>).</summary>
    public bool DueAfterStep(long step) => callback.EveryNTrainSteps is int n && step % n == 0;

    /// <summary>Whether checkpoints follow each validation (no <c>every_n_train_steps</c>).</summary>
    public bool DueAfterValidation => callback.EveryNTrainSteps is null;

    /// <summary>The best checkpoint so far by <see cref="Monitor"/> (or the latest without one).</summary>
    public string? BestPath => Monitor is null ? latest : best.Count == 0 ? null : best.OrderBy(b => Rank(b.Score)).First().Path;

    /// <summary>The <c>last</c> checkpoint's path, written or not.</summary>
    public string LastPath => Path.Combine(Directory, LastName + CheckpointFormat.Extension);

    /// <summary>Whether this callback writes <c>last</c>.</summary>
    public bool SavesLast => callback.SaveLast == true;

    /// <summary>
    /// Applies the callback once. <paramref name="values"/> holds <c>epoch</c>, <c>step</c> and the latest logged metrics;
    /// <paramref name="write"/> writes a checkpoint to the path it is given. Returns the files written.
    /// </summary>
    public IReadOnlyList<string> Save(IReadOnlyDictionary<string, double> values, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(write);
        System.IO.Directory.CreateDirectory(Directory);
        var written = new List<string>();
        string path = Path.Combine(Directory, CheckpointNames.Format(callback.Filename, values, callback.AutoInsertMetricName) + CheckpointFormat.Extension);
        string? saved = null;
        if (callback.SaveTopK != 0)
        {
            if (Monitor is null)
            {
                write(path);
                saved = path;
                if (callback.SaveTopK == 1 && latest is not null && latest != path) Delete(latest);
                latest = path;
            }
            else if (values.TryGetValue(Monitor, out double score) && !double.IsNaN(score))
            {
                bool keep = callback.SaveTopK < 0 || best.Count < callback.SaveTopK || Rank(score) < best.Max(b => Rank(b.Score));
                if (keep)
                {
                    write(path);
                    saved = path;
                    best.RemoveAll(b => b.Path == path);
                    best.Add((path, score));
                    if (callback.SaveTopK > 0 && best.Count > callback.SaveTopK)
                    {
                        var worst = best.OrderByDescending(b => Rank(b.Score)).First();
                        best.Remove(worst);
                        if (worst.Path != path) Delete(worst.Path);
                    }
                }
            }
        }
        if (saved is not null) written.Add(saved);
        if (SavesLast)
        {
            if (saved is not null) CopyAtomically(saved, LastPath);
            else write(LastPath);
            written.Add(LastPath);
        }
        return written;
    }

    double Rank(double score) => callback.Mode == "max" ? -score : score;

    static void Delete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static void CopyAtomically(string source, string destination) => AtomicFile.Write(destination, temporary => File.Copy(source, temporary));
}
