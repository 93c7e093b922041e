// The `model.init_args` section of a reference model YAML (kanade-tokenizer config/model/*.yaml, MIT).
using Kanade.Modules;
using Kanade.Ssl;

namespace Kanade;

/// <summary>
/// Everything a Kanade model YAML says: the <see cref="KanadeModelConfig"/> and the <c>init_args</c> of each
/// component. <see cref="FeatureDecoder"/> is null in configs that do not train SSL-feature reconstruction.
/// </summary>
public sealed record KanadeModelDefinition
{
    /// <summary>Model-level settings.</summary>
    public KanadeModelConfig Config { get; init; } = new();
    /// <summary>The frozen SSL model (WavLM base+ for the published checkpoints).</summary>
    public SslFeatureExtractorOptions SslFeatureExtractor { get; init; } = new();
    /// <summary>Local-branch windowed Transformer.</summary>
    public TransformerOptions LocalEncoder { get; init; } = new();
    /// <summary>FSQ bottleneck.</summary>
    public FiniteScalarQuantizerOptions LocalQuantizer { get; init; } = new();
    /// <summary>SSL-feature reconstruction Transformer (training only); null when absent.</summary>
    public TransformerOptions? FeatureDecoder { get; init; }
    /// <summary>Global-branch ConvNeXt + pooling.</summary>
    public GlobalEncoderOptions GlobalEncoder { get; init; } = new();
    /// <summary>Transformer between content embeddings and mel up-sampling.</summary>
    public TransformerOptions MelPrenet { get; init; } = new();
    /// <summary>AdaLN-Zero Transformer producing mel frames.</summary>
    public TransformerOptions MelDecoder { get; init; } = new();
    /// <summary>Residual convolutional PostNet.</summary>
    public PostNetOptions MelPostnet { get; init; } = new();

    /// <summary>Where this definition was read from (for error messages); null when built in code.</summary>
    public string? SourcePath { get; init; }
}
