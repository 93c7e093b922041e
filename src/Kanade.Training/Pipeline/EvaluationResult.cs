// What one validation / test batch of KanadeTrainingPipeline gives (the reference's validation_step).
using static TorchSharp.torch;

namespace Kanade.Training.Pipeline;

/// <summary>Losses of one evaluation batch and the spectrograms behind them. Owns the tensors (dispose when done).</summary>
public sealed class EvaluationResult : IDisposable
{
    /// <summary>Creates the result.</summary>
    public EvaluationResult(IReadOnlyDictionary<string, double> losses, double? perplexity, Tensor? melReal, Tensor? melRecon, int batchSize)
    {
        Losses = losses;
        Perplexity = perplexity;
        MelReal = melReal;
        MelRecon = melRecon;
        BatchSize = batchSize;
    }

    /// <summary>Reconstruction losses under the reference's names (<c>mel_l1</c>, <c>ssl_l2</c>, ...) and <c>loss</c>.</summary>
    public IReadOnlyDictionary<string, double> Losses { get; }

    /// <summary>Quantizer perplexity, or null without a feature decoder.</summary>
    public double? Perplexity { get; }

    /// <summary>Target mel spectrogram (B, n_mels, frames), float32 on the CPU; null when train_mel is off.</summary>
    public Tensor? MelReal { get; }

    /// <summary>Generated mel spectrogram (B, n_mels, frames), float32 on the CPU; null when train_mel is off.</summary>
    public Tensor? MelRecon { get; }

    /// <summary>Items in the batch (the weight of this batch in an epoch mean).</summary>
    public int BatchSize { get; }

    /// <summary>The losses as log tags with <paramref name="prefix"/> (<c>val</c> or <c>test</c>): <c>val/gen/mel_l1</c>, <c>val/loss</c>, <c>val/local/perplexity</c>.</summary>
    public IReadOnlyDictionary<string, double> LogScalars(string prefix = "val")
    {
        var tags = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in Losses)
            tags[name == "loss" ? $"{prefix}/loss" : $"{prefix}/gen/{name}"] = value;
        if (Perplexity is double perplexity) tags[$"{prefix}/local/perplexity"] = perplexity;
        return tags;
    }

    /// <summary>Disposes the spectrograms.</summary>
    public void Dispose()
    {
        MelReal?.Dispose();
        MelRecon?.Dispose();
    }
}
