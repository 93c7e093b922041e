// The names inside this project's training checkpoints (a safetensors file with a JSON state in its metadata).
namespace Kanade.Training.Checkpoints;

/// <summary>
/// Layout of a training checkpoint: one safetensors file whose tensors are the model (<c>model.*</c>), the
/// discriminator (<c>discriminator.*</c>) and the optimizer moments (<c>optimizer.generator.*</c>,
/// <c>optimizer.discriminator.*</c>), and whose metadata holds <see cref="FormatKey"/> and the JSON training state.
/// </summary>
public static class CheckpointFormat
{
    /// <summary>Metadata key naming the format.</summary>
    public const string FormatKey = "format";
    /// <summary>Value of <see cref="FormatKey"/>.</summary>
    public const string FormatValue = "kanade-training-checkpoint/1";
    /// <summary>Metadata key of the JSON training state (steps, schedules, RNG, data position, metrics).</summary>
    public const string StateKey = "training_state";
    /// <summary>Metadata key of the training YAML the run used (after overrides).</summary>
    public const string ConfigKey = "config_yaml";
    /// <summary>Prefix of the model's tensors (as in the reference's Lightning checkpoints).</summary>
    public const string ModelPrefix = "model.";
    /// <summary>Prefix of the discriminator's tensors (as in the reference's Lightning checkpoints).</summary>
    public const string DiscriminatorPrefix = "discriminator.";
    /// <summary>Prefix of the generator optimizer's state tensors.</summary>
    public const string GeneratorOptimizerPrefix = "optimizer.generator.";
    /// <summary>Prefix of the discriminator optimizer's state tensors.</summary>
    public const string DiscriminatorOptimizerPrefix = "optimizer.discriminator.";
    /// <summary>File extension of checkpoints written by <c>kanade fit</c>.</summary>
    public const string Extension = ".safetensors";
}
