// Port of kanade-tokenizer pipeline.py _get_discriminator_loss, _get_generator_loss and
// _get_feature_matching_loss (MIT).
using static TorchSharp.torch;

namespace Kanade.Training.Gan;

/// <summary>The adversarial objective of GAN post-training (<c>pipeline_config.adv_loss_type</c>).</summary>
public enum AdversarialLossType
{
    /// <summary><c>hinge</c>: D minimises mean(relu(1 - real)) + mean(relu(1 + fake)); G minimises mean(relu(1 - fake)).</summary>
    Hinge,
    /// <summary><c>least_square</c>: D minimises mean((real - 1)^2) + mean(fake^2); G minimises mean((fake - 1)^2).</summary>
    LeastSquare,
}

/// <summary>The discriminator's losses, the generator's adversarial loss and the feature-matching loss.</summary>
public static class AdversarialLoss
{
    /// <summary>Parses the YAML spelling (<c>hinge</c>, <c>least_square</c>).</summary>
    /// <exception cref="ArgumentException">Any other value.</exception>
    public static AdversarialLossType Parse(string value) => value switch
    {
        "hinge" => AdversarialLossType.Hinge,
        "least_square" => AdversarialLossType.LeastSquare,
        _ => throw new ArgumentException(
            $"pipeline_config.adv_loss_type '{value}' is not supported; expected 'hinge' or 'least_square'.", nameof(value)),
    };

    /// <summary>
    /// Discriminator loss on its outputs for real and generated spectrograms (any equal-rank shapes).
    /// Returns scalars (total = real + fake, real, fake).
    /// </summary>
    public static (Tensor Total, Tensor Real, Tensor Fake) Discriminator(Tensor realOutputs, Tensor fakeOutputs, AdversarialLossType type)
    {
        using var scope = NewDisposeScope();
        var (real, fake) = type switch
        {
            AdversarialLossType.Hinge => ((1 - realOutputs).clamp_min(0).mean(), (1 + fakeOutputs).clamp_min(0).mean()),
            AdversarialLossType.LeastSquare => ((realOutputs - 1).square().mean(), fakeOutputs.square().mean()),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown adversarial loss type."),
        };
        var total = real + fake;
        return (total.MoveToOuterDisposeScope(), real.MoveToOuterDisposeScope(), fake.MoveToOuterDisposeScope());
    }

    /// <summary>The generator's adversarial loss on the discriminator's outputs for generated spectrograms (scalar).</summary>
    public static Tensor Generator(Tensor fakeOutputs, AdversarialLossType type)
    {
        using var scope = NewDisposeScope();
        var loss = type switch
        {
            AdversarialLossType.Hinge => (1 - fakeOutputs).clamp_min(0).mean(),
            AdversarialLossType.LeastSquare => (fakeOutputs - 1).square().mean(),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown adversarial loss type."),
        };
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mean over layers of mean |real - fake| between matching intermediate maps; the real maps are detached
    /// so only the generator receives gradients (scalar).
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static Tensor FeatureMatching(IReadOnlyList<Tensor> realIntermediates, IReadOnlyList<Tensor> fakeIntermediates)
    {
        if (realIntermediates.Count != fakeIntermediates.Count || realIntermediates.Count == 0)
            throw new ArgumentException(
                $"Feature matching needs equally many real and fake intermediates, got {realIntermediates.Count} and {fakeIntermediates.Count}.");
        using var scope = NewDisposeScope();
        var perLayer = realIntermediates.Zip(fakeIntermediates, (real, fake) => (real.detach() - fake).abs().mean()).ToArray();
        var loss = stack(perLayer).mean();
        return loss.MoveToOuterDisposeScope();
    }
}
