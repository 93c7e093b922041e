// A whole kanade-tokenizer training YAML (config/train/*.yaml, the `cli.py fit --config` format, MIT).
namespace Kanade.Training.Config;

/// <summary>
/// A training YAML: <c>seed_everything</c>, <c>trainer</c>, <c>model</c> (the pipeline) and <c>data</c>.
/// Property names are the YAML keys in PascalCase.
/// </summary>
public sealed record KanadeTrainingConfig
{
    /// <summary>Seed of every random generator; null picks one at start (Lightning's <c>seed_everything: true</c>).</summary>
    public int? SeedEverything { get; init; }
    /// <summary>Trainer settings.</summary>
    public TrainerConfig Trainer { get; init; } = new();
    /// <summary>The pipeline (<c>model.init_args</c>).</summary>
    public required KanadePipelineDefinition Model { get; init; }
    /// <summary>The data module (<c>data.init_args</c>); null when only the model is needed (e.g. a step API session).</summary>
    public AudioDataModuleConfig? Data { get; init; }

    /// <summary>
    /// The top-level <c>ckpt_path</c> of LightningCLI: a training checkpoint of this project to resume from, or
    /// <c>last</c> for the newest <c>last</c> checkpoint of the run folder; null to start afresh.
    /// </summary>
    public string? CkptPath { get; init; }

    /// <summary>Where this config was read from (for messages); null when built in code.</summary>
    public string? SourcePath { get; init; }

    /// <summary>
    /// Checks every section and their agreement (discriminator bins vs n_mels, feature decoder for
    /// train_feature, the audio length's SSL frame count); messages name the key.
    /// </summary>
    /// <exception cref="ArgumentException">Something is out of range or inconsistent.</exception>
    public void Validate()
    {
        Trainer.Validate();
        var model = Model;
        var pipeline = model.PipelineConfig;
        pipeline.Validate();
        if (pipeline.TrainFeature && model.FeatureDecoder is null)
            throw new ArgumentException("pipeline_config.train_feature is true but the config has no feature_decoder; add one or set train_feature: false.");
        if (pipeline.UseDiscriminator && model.Discriminator is null)
            throw new ArgumentException("pipeline_config.use_discriminator is true but the config has no discriminator section.");
        if (model.Discriminator is { } discriminator && discriminator.FrequencyBins != model.ModelConfig.NMels)
            throw new ArgumentException(
                $"discriminator.frequency_bins is {discriminator.FrequencyBins} but model_config.n_mels is {model.ModelConfig.NMels}; they must be equal.");
        TrainingLengths.ValidateAudioLength(pipeline.AudioLength, model.ModelConfig, model.SslFeatureExtractor);
        if (Data is { } data)
        {
            data.TrainConfig.Validate("train_config");
            data.ValConfig?.Validate("val_config");
            data.TestConfig?.Validate("test_config");
        }
    }
}
