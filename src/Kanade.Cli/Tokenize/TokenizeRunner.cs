using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Kanade.Cli.Infrastructure;
using Kanade.IO;
using Kanade.MLNet;

namespace Kanade.Cli.Tokenize;

/// <summary>
/// Runs a <see cref="TokenizeJob"/>: each of the shard's unfinished parts is cut into length-sorted batches from its
/// files' headers (<see cref="BatchPlanner"/>); background threads decode the items batch by batch into a bounded
/// queue; a batcher hands each batch on once all its items are in; workers (one or more per device, each on a thread
/// of its own) encode them; this
/// thread gathers results by part and commits each part as soon as all its rows are in (rows in corpus order, so the
/// files never depend on scheduling). Memory stays bounded by the queue sizes whatever the corpus size.
/// </summary>
internal sealed class TokenizeRunner(TokenizeJob job)
{
    /// <summary>What one file came to.</summary>
    sealed record ItemResult(CorpusItem Item, KanadeTokenRow? Row, string? Error, double AudioSeconds);

    /// <summary>Time per stage, for the summary.</summary>
    readonly StageClock clock = new();

    /// <summary>Parts with results still coming in.</summary>
    readonly Dictionary<int, OpenPart> open = [];

    List<ErrorRow> OpenErrors() => [.. open.Values.SelectMany(p => p.Results).Where(r => r.Error is not null).OrderBy(r => r.Item.Index)
        .Select(r => new ErrorRow { AudioId = r.Item.AudioId, Path = r.Item.Path, Reason = r.Error! })];

    sealed class OpenPart(int count)
    {
        public readonly List<ItemResult> Results = new(count);
        public int Expected { get; } = count;
    }

    /// <summary>Runs to completion, or throws <see cref="OperationCanceledException"/> / <see cref="CliException"/>; the summary is written either way.</summary>
    public TokenizeSummary Run(ProgressHandle progress, CancellationToken cancellation)
    {
        var wall = Stopwatch.StartNew();
        var store = job.Store;
        var shardParts = job.Plan.ShardParts().ToList();
        store.Open(job.Record, shardParts, job.Overwrite);
        var records = new SortedDictionary<int, PartRecord>();
        var pending = new List<int>();
        foreach (int part in shardParts)
        {
            if (store.Finished(part) is { } record) records[part] = record;
            else pending.Add(part);
        }
        int skipped = records.Count;
        progress.Advance(records.Values.Sum(r => (long)r.Rows + r.Errors.Count), 0);

        var summary = new TokenizeSummary
        {
            Shard = job.Plan.Shard, NumShards = job.Plan.ShardCount, Parts = shardParts.Count, PartsSkipped = skipped,
            Devices = [.. job.DeviceNames],
        };
        Exception? failure = null;
        try
        {
            CheckErrors(records);
            RunPipeline(pending, records, summary, progress, cancellation).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            failure = e;
        }
        summary.Status = failure switch
        {
            null => "complete",
            OperationCanceledException => "cancelled",
            _ => "failed",
        };
        Finish(records, summary, wall.Elapsed);
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return summary;
    }

    void CheckErrors(SortedDictionary<int, PartRecord> records, int extra = 0)
    {
        long errors = records.Values.Sum(r => (long)r.Errors.Count) + extra;
        if (job.MaxErrors >= 0 && errors > job.MaxErrors)
            throw new CliException($"{errors} files could not be tokenized, more than --max-errors {job.MaxErrors}; " +
                                   $"see {Path.GetFileName(job.Store.ErrorsPath)} in '{job.Store.Root}'.");
    }

    async Task RunPipeline(List<int> pending, SortedDictionary<int, PartRecord> records, TokenizeSummary summary, ProgressHandle progress, CancellationToken cancellation)
    {
        if (pending.Count == 0) return;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var token = stop.Token;
        int queue = Math.Max(4, job.BatchSize * 4);
        var decoded = Channel.CreateBounded<(DecodedAudio Audio, PlannedItem Plan)>(new BoundedChannelOptions(queue) { SingleReader = true });
        using var batches = new BlockingCollection<List<DecodedAudio>>(2 * job.Encoders.Count);
        var results = Channel.CreateUnbounded<ItemResult>(new UnboundedChannelOptions { SingleReader = true });
        var planned = BatchPlanner.For(job, clock).Items(pending, token);

        var decoding = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(planned, new ParallelOptions { MaxDegreeOfParallelism = job.DecodeThreads, CancellationToken = token },
                    async (plan, ct) =>
                    {
                        var audio = clock.Time("decode", () => job.Audio.Load(plan.Item));
                        await clock.TimeAsync("decode_waiting_for_queue", decoded.Writer.WriteAsync((audio, plan), ct));
                    });
            }
            finally
            {
                decoded.Writer.TryComplete();
            }
        }, token);

        // Items arrive in plan order, give or take the decode threads, so only a batch or two is ever being filled.
        var batching = Task.Run(async () =>
        {
            try
            {
                var filling = new Dictionary<int, List<DecodedAudio>>();
                while (await clock.TimeAsync("batch_waiting_for_decode", decoded.Reader.WaitToReadAsync(token)))
                {
                    if (!decoded.Reader.TryRead(out var next)) continue;
                    var (audio, plan) = next;
                    if (!filling.TryGetValue(plan.Batch, out var members)) filling[plan.Batch] = members = new List<DecodedAudio>(plan.Members);
                    members.Add(audio);
                    if (members.Count < plan.Members) continue;
                    filling.Remove(plan.Batch);
                    foreach (var failed in members.Where(m => m.Error is not null))
                        results.Writer.TryWrite(new ItemResult(failed.Item, null, failed.Error, 0));
                    // Cut again from the decoded lengths, in case a header promised other lengths than the file holds:
                    // the planned batch nearly always comes back whole.
                    foreach (var batch in LengthBuckets.Split(members.Where(m => m.Error is null), m => m.Samples, m => m.Item.Index,
                                                              job.BatchSize, job.MaxBatchSamples, job.IsWindowed))
                        batches.Add(batch, token);
                }
            }
            finally
            {
                batches.CompleteAdding();
            }
        }, token);

        // Each worker blocks on a thread of its own rather than awaiting on the pool: the GPU libraries cache their plans
        // per thread (cuDNN's attention graphs are thread-local in PyTorch), and a worker resumed on another pool thread
        // would build them again.
        var workers = job.Encoders.Select(factory => Task.Factory.StartNew(() =>
        {
            using var encoder = factory();
            while (clock.Time("encode_waiting_for_batches", () => Next(batches, token)) is { } batch)
            {
                try
                {
                    var outcomes = clock.Time("encode", () => encoder.Encode([.. batch.Select(b => b.Waveform!)]));
                    for (int i = 0; i < batch.Count; i++) results.Writer.TryWrite(ToResult(batch[i], outcomes[i]));
                }
                finally
                {
                    foreach (var audio in batch) audio.Waveform?.Dispose();
                }
            }
        }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();

        // A producer that fails stops the others (they could wait forever on a full queue) and closes the results
        // with its own exception rather than the cancellations it caused.
        Task[] tasks = [decoding, batching, .. workers];
        foreach (var task in tasks)
            _ = task.ContinueWith(t => { if (t.IsFaulted) stop.Cancel(); }, TaskScheduler.Default);
        var producers = Task.WhenAll(tasks);
        _ = producers.ContinueWith(t => results.Writer.TryComplete(FirstFailure(t.Exception)), TaskScheduler.Default);

        try
        {
            while (await results.Reader.WaitToReadAsync(token))
            {
                while (results.Reader.TryRead(out var result))
                {
                    token.ThrowIfCancellationRequested();
                    int part = job.Plan.PartOf(result.Item.Index);
                    if (!open.TryGetValue(part, out var buffer)) open[part] = buffer = new OpenPart(job.Plan.Items(part).Count);
                    buffer.Results.Add(result);
                    progress.Advance(1, result.AudioSeconds);
                    summary.RunFiles += result.Row is null ? 0 : 1;
                    summary.RunHours += result.AudioSeconds / 3600;
                    if (buffer.Results.Count < buffer.Expected)
                    {
                        if (result.Error is not null) CheckErrors(records, OpenErrors().Count);
                        continue;
                    }
                    open.Remove(part);
                    records[part] = clock.Time("commit", () => Commit(part, buffer));
                    job.Hooks?.PartCommitted?.Invoke(part);
                    CheckErrors(records, OpenErrors().Count);
                }
            }
        }
        catch (Exception e)
        {
            stop.Cancel();
            try { await producers; } catch { /* inspected below */ }
            // A cancellation the user did not ask for came from a failing producer, which cancelled the others and this
            // loop: its own exception is the one to report.
            if (e is OperationCanceledException && !cancellation.IsCancellationRequested
                && FirstFailure(producers.Exception) is { } first and not OperationCanceledException)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
        try
        {
            await producers;
        }
        catch (Exception) when (FirstFailure(producers.Exception) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    /// <summary>The next batch, waiting for one; null once the batcher has finished and all are taken.</summary>
    static List<DecodedAudio>? Next(BlockingCollection<List<DecodedAudio>> batches, CancellationToken token) =>
        batches.TryTake(out var batch, Timeout.Infinite, token) ? batch : null;

    static Exception? FirstFailure(AggregateException? aggregate) =>
        aggregate?.Flatten().InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) ?? aggregate?.InnerException;

    static ItemResult ToResult(DecodedAudio audio, EncodeResult outcome)
    {
        if (outcome.Error is not null) return new ItemResult(audio.Item, null, outcome.Error, 0);
        var row = new KanadeTokenRow(audio.Item.AudioId, audio.Item.Path, outcome.Tokens!, outcome.GlobalEmbedding!, audio.DurationSeconds, audio.SampleRate);
        return new ItemResult(audio.Item, row, null, audio.DurationSeconds);
    }

    PartRecord Commit(int part, OpenPart buffer)
    {
        var ordered = buffer.Results.OrderBy(r => r.Item.Index).ToList();
        var rows = ordered.Where(r => r.Row is not null).Select(r => r.Row!).ToList();
        var record = new PartRecord
        {
            Part = part,
            Rows = rows.Count,
            AudioSeconds = rows.Sum(r => r.DurationSeconds ?? 0),
            Tokens = rows.Sum(r => (long)r.Tokens.Length),
            Errors = [.. ordered.Where(r => r.Error is not null).Select(r => new ErrorRow { AudioId = r.Item.AudioId, Path = r.Item.Path, Reason = r.Error! })],
        };
        job.Store.Commit(part, rows, record, job.Writer);
        return record;
    }

    void Finish(SortedDictionary<int, PartRecord> records, TokenizeSummary summary, TimeSpan wall)
    {
        var store = job.Store;
        // Errors of parts that never completed are reported too (a run stopped by --max-errors must show why).
        var errors = records.Values.SelectMany(r => r.Errors).Concat(summary.Status == "complete" ? [] : OpenErrors()).ToList();
        summary.Files = records.Values.Sum(r => (long)r.Rows);
        summary.Errors = errors.Count;
        summary.Hours = records.Values.Sum(r => r.AudioSeconds) / 3600;
        summary.Tokens = records.Values.Sum(r => r.Tokens);
        summary.WallSeconds = wall.TotalSeconds;
        summary.AudioHoursPerHour = wall.TotalSeconds > 0 ? summary.RunHours * 3600 / wall.TotalSeconds : 0;
        summary.FilesPerSecond = wall.TotalSeconds > 0 ? summary.RunFiles / wall.TotalSeconds : 0;
        summary.StageSeconds = clock.Seconds();
        if (errors.Count > 0) AtomicFile.Write(store.ErrorsPath, temporary => job.Writer.WriteErrors(temporary, errors));
        else File.Delete(store.ErrorsPath);
        OutputStore.WriteJson(store.SummaryPath, summary);
        if (summary.Status == "complete") File.WriteAllText(store.SuccessPath, "");
        else File.Delete(store.SuccessPath);
    }
}
