// The DataLoader of kanade-tokenizer data/datamodule.py (MIT): sampling, batching and background loading.
using System.Threading.Channels;

namespace Kanade.Training.Data;

/// <summary>
/// Turns a <see cref="ChunkedAudioDataset"/> into batches, epoch by epoch: a seeded shuffle (or manifest
/// order), <c>drop_last</c>, collation with end padding. With workers, a background producer decodes each
/// batch's items in parallel and queues finished batches in a bounded channel, so the consumer (the device)
/// finds the next batch ready while the producer never runs more than <see cref="AudioBatchLoaderOptions.PrefetchBatches"/> ahead.
/// </summary>
public sealed class AudioBatchLoader
{
    readonly ChunkedAudioDataset dataset;

    /// <summary>Creates the loader; the dataset's reader and resampler must be safe to call from several threads when workers are used.</summary>
    /// <exception cref="ArgumentException">A non-positive batch size or prefetch, or negative workers.</exception>
    public AudioBatchLoader(ChunkedAudioDataset dataset, AudioBatchLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize < 1)
            throw new ArgumentException($"batch_size must be positive, got {options.BatchSize}.", nameof(options));
        if (options.NumWorkers < 0)
            throw new ArgumentException($"num_workers must be 0 or more, got {options.NumWorkers}.", nameof(options));
        if (options.PrefetchBatches < 1)
            throw new ArgumentException($"Prefetch must be at least one batch, got {options.PrefetchBatches}.", nameof(options));
        this.dataset = dataset;
        Options = options;
    }

    /// <summary>The options it was built with.</summary>
    public AudioBatchLoaderOptions Options { get; }

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch => Options.DropLast
        ? dataset.Count / Options.BatchSize
        : (dataset.Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>Chunk indices in the order epoch <paramref name="epoch"/> visits them.</summary>
    public IReadOnlyList<int> Order(int epoch)
    {
        int[] order = [.. Enumerable.Range(0, dataset.Count)];
        if (!Options.Shuffle) return order;
        // System.Random with a seed is a fixed algorithm, so the order is reproducible across runs and resumes.
        var random = new Random(unchecked(Options.Seed * 1_000_003 + epoch));
        random.Shuffle(order);
        return order;
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, starting after <paramref name="skipBatches"/> (to resume
    /// mid-epoch). Each batch must be disposed by the caller; stopping early disposes what was prefetched.
    /// </summary>
    /// <exception cref="InvalidDataException">An item failed to load (the message names the chunk and file).</exception>
    public IEnumerable<AudioBatch> Epoch(int epoch, int skipBatches = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skipBatches);
        var order = Order(epoch);
        var batches = Enumerable.Range(skipBatches, Math.Max(0, BatchesPerEpoch - skipBatches))
            .Select(b => order.Skip(b * Options.BatchSize).Take(Options.BatchSize).ToArray());
        return Options.NumWorkers == 0 ? batches.Select(LoadSequentially) : LoadInBackground(batches);
    }

    AudioBatch LoadSequentially(int[] indices)
    {
        var items = new List<AudioItem>(indices.Length);
        try
        {
            foreach (int index in indices) items.Add(LoadItem(index));
            return AudioBatch.Collate(items);
        }
        catch
        {
            foreach (var item in items) item.Waveform.Dispose();
            throw;
        }
    }

    AudioBatch LoadInParallel(int[] indices, CancellationToken cancellation)
    {
        var items = new AudioItem?[indices.Length];
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.NumWorkers, CancellationToken = cancellation };
            Parallel.For(0, indices.Length, parallel, i => items[i] = LoadItem(indices[i]));
            return AudioBatch.Collate(items!);
        }
        catch (Exception error)
        {
            foreach (var item in items) item?.Waveform.Dispose();
            // Parallel.For wraps failures; hand the consumer the first item's own error.
            if (error is AggregateException { InnerExceptions.Count: > 0 } aggregate)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(aggregate.InnerExceptions[0]);
            throw;
        }
    }

    AudioItem LoadItem(int index)
    {
        try
        {
            return dataset[index];
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var chunk = dataset.Chunks[index];
            throw new InvalidDataException(
                $"Loading chunk {index} (audio_id '{chunk.AudioId}', samples {chunk.FrameOffset}..{chunk.FrameOffset + chunk.FrameCount}) failed: {error.Message}", error);
        }
    }

    IEnumerable<AudioBatch> LoadInBackground(IEnumerable<int[]> batches)
    {
        var channel = Channel.CreateBounded<AudioBatch>(new BoundedChannelOptions(Options.PrefetchBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var cancellation = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var indices in batches)
                {
                    var batch = LoadInParallel(indices, cancellation.Token);
                    try
                    {
                        await channel.Writer.WriteAsync(batch, cancellation.Token);
                    }
                    catch
                    {
                        batch.Dispose();
                        throw;
                    }
                }
                channel.Writer.Complete();
            }
            catch (Exception error)
            {
                channel.Writer.TryComplete(error is OperationCanceledException ? null : error);
            }
        });

        try
        {
            while (channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                while (channel.Reader.TryRead(out var batch))
                    yield return batch;
        }
        finally
        {
            // The consumer stopped (end, error or break): stop the producer and free whatever it queued.
            cancellation.Cancel();
            while (channel.Reader.TryRead(out var pending)) pending.Dispose();
            producer.GetAwaiter().GetResult();
            while (channel.Reader.TryRead(out var pending)) pending.Dispose();
        }
    }
}
