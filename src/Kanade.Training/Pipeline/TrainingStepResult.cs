// What one training step of KanadeTrainingPipeline reports (the values the reference logs under train/...).
namespace Kanade.Training.Pipeline;

/// <summary>The figures of one training step (all before the optimizer updates, as the reference logs them).</summary>
public sealed record TrainingStepResult
{
    /// <summary>
    /// Generator losses under the reference's names: <c>ssl_l1</c>, <c>ssl_l2</c>, <c>feature_loss</c> (train_feature),
    /// <c>mel_l1</c>, <c>mel_l2</c>, <c>mel_loss</c> (train_mel), <c>adv_loss</c> and <c>feature_matching_loss</c> (when the
    /// discriminator trained this step) and <c>loss</c>, the weighted total that was minimised. Means over micro-batches.
    /// </summary>
    public required IReadOnlyDictionary<string, double> Losses { get; init; }

    /// <summary>Norm of the generator's gradient before clipping (<c>clip_grad_norm_</c>'s return value).</summary>
    public required double GradNorm { get; init; }

    /// <summary>Quantizer perplexity (<c>local/perplexity</c>), or null when the model has no feature decoder.</summary>
    public double? Perplexity { get; init; }

    /// <summary>Whether the discriminator was updated (GAN on, past <c>discriminator_start_step</c>, and the coin came up).</summary>
    public bool DiscriminatorTrained { get; init; }

    /// <summary>Discriminator losses <c>loss</c>, <c>real</c>, <c>fake</c> (empty when it did not train).</summary>
    public IReadOnlyDictionary<string, double> DiscriminatorLosses { get; init; } = new Dictionary<string, double>();

    /// <summary>Norm of the discriminator's gradient before clipping, or null when it did not train.</summary>
    public double? DiscriminatorGradNorm { get; init; }

    /// <summary>Generator learning rate used by this step's update.</summary>
    public double LearningRate { get; init; }

    /// <summary>Discriminator learning rate used by this step (null without a GAN).</summary>
    public double? DiscriminatorLearningRate { get; init; }

    /// <summary>The pipeline's step count after this step (<see cref="KanadeTrainingPipeline.GlobalStep"/>).</summary>
    public long Step { get; init; }

    /// <summary>Everything above as the reference's log tags: <c>train/gen/mel_l1</c>, <c>train/loss</c>, <c>train/gen/grad_norm</c>, <c>train/disc/loss</c>, ...</summary>
    public IReadOnlyDictionary<string, double> LogScalars()
    {
        var tags = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in Losses)
            tags[name == "loss" ? "train/loss" : "train/gen/" + name] = value;
        tags["train/gen/grad_norm"] = GradNorm;
        if (Perplexity is double perplexity) tags["train/local/perplexity"] = perplexity;
        foreach (var (name, value) in DiscriminatorLosses) tags["train/disc/" + name] = value;
        if (DiscriminatorGradNorm is double norm) tags["train/disc/grad_norm"] = norm;
        return tags;
    }
}
