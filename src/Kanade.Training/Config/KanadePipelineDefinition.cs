// The `model.init_args` section of a kanade-tokenizer training YAML (config/train/*.yaml, MIT).
using Kanade.Modules;
using Kanade.Ssl;
using Kanade.Training.Gan;

namespace Kanade.Training.Config;

/// <summary>
/// Everything <c>model.init_args</c> of a training YAML says: the model's components and
/// <c>model_config</c> (as in a model YAML), the optional <c>discriminator</c> and the <c>pipeline_config</c>.
/// </summary>
public sealed record KanadePipelineDefinition
{
    /// <summary>The <c>class_path</c> the reference's training YAML gives the pipeline.</summary>
    public const string ClassPath = "kanade_tokenizer.pipeline.KanadePipeline";

    /// <summary>Model-level settings (<c>model_config</c>).</summary>
    public KanadeModelConfig ModelConfig { get; init; } = new();
    /// <summary>Training settings (<c>pipeline_config</c>).</summary>
    public KanadePipelineConfig PipelineConfig { get; init; } = new();
    /// <summary>The frozen SSL model.</summary>
    public SslFeatureExtractorOptions SslFeatureExtractor { get; init; } = new();
    /// <summary>Local-branch windowed Transformer.</summary>
    public TransformerOptions LocalEncoder { get; init; } = new();
    /// <summary>FSQ bottleneck.</summary>
    public FiniteScalarQuantizerOptions LocalQuantizer { get; init; } = new();
    /// <summary>SSL-feature reconstruction Transformer; required when <c>train_feature</c> is on.</summary>
    public TransformerOptions? FeatureDecoder { get; init; }
    /// <summary>Global-branch encoder.</summary>
    public GlobalEncoderOptions GlobalEncoder { get; init; } = new();
    /// <summary>Transformer before mel up-sampling.</summary>
    public TransformerOptions MelPrenet { get; init; } = new();
    /// <summary>AdaLN-Zero Transformer producing mel frames.</summary>
    public TransformerOptions MelDecoder { get; init; } = new();
    /// <summary>Residual convolutional PostNet.</summary>
    public PostNetOptions MelPostnet { get; init; } = new();
    /// <summary>GAN discriminator; null when the YAML has none.</summary>
    public SpectrogramDiscriminatorOptions? Discriminator { get; init; }

    /// <summary>The model part, as a model YAML would define it.</summary>
    public KanadeModelDefinition ToModelDefinition(string? sourcePath = null) => new()
    {
        Config = ModelConfig,
        SslFeatureExtractor = SslFeatureExtractor,
        LocalEncoder = LocalEncoder,
        LocalQuantizer = LocalQuantizer,
        FeatureDecoder = FeatureDecoder,
        GlobalEncoder = GlobalEncoder,
        MelPrenet = MelPrenet,
        MelDecoder = MelDecoder,
        MelPostnet = MelPostnet,
        SourcePath = sourcePath,
    };
}
