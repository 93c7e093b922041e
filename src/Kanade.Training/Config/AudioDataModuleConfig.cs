// Port of kanade-tokenizer data/datamodule.py AudioDataModule arguments (MIT).
namespace Kanade.Training.Config;

/// <summary>
/// <c>data.init_args</c> of a training YAML. As in the reference, a missing validation split falls back to
/// the training split and a missing test split to the validation split.
/// </summary>
public sealed record AudioDataModuleConfig
{
    /// <summary>The <c>class_path</c> the reference's training YAML gives the data module.</summary>
    public const string ClassPath = "kanade_tokenizer.data.datamodule.AudioDataModule";

    /// <summary>Training split.</summary>
    public required AudioDataConfig TrainConfig { get; init; }
    /// <summary>Validation split; null for <see cref="TrainConfig"/>.</summary>
    public AudioDataConfig? ValConfig { get; init; }
    /// <summary>Test and predict split; null for the validation split.</summary>
    public AudioDataConfig? TestConfig { get; init; }

    /// <summary>The validation split in effect.</summary>
    public AudioDataConfig EffectiveValConfig => ValConfig ?? TrainConfig;
    /// <summary>The test split in effect.</summary>
    public AudioDataConfig EffectiveTestConfig => TestConfig ?? EffectiveValConfig;
}
