// The class_path values of the reference's configs (kanade-tokenizer at 8e17729, and LightningCLI's own).
namespace Kanade.IO;

/// <summary>The Python class names a reference YAML config may name in <c>class_path</c>.</summary>
public static class ReferenceClassPaths
{
    /// <summary>The model of a model config.</summary>
    public const string KanadeModel = "kanade_tokenizer.model.KanadeModel";
    /// <summary>The model of a training config.</summary>
    public const string KanadePipeline = "kanade_tokenizer.pipeline.KanadePipeline";
    /// <summary>The SSL feature extractor.</summary>
    public const string SslFeatureExtractor = "kanade_tokenizer.module.ssl_extractor.SSLFeatureExtractor";
    /// <summary>The windowed Transformer (local encoder, feature decoder, mel prenet, mel decoder).</summary>
    public const string Transformer = "kanade_tokenizer.module.transformer.Transformer";
    /// <summary>The FSQ bottleneck.</summary>
    public const string FiniteScalarQuantizer = "kanade_tokenizer.module.fsq.FiniteScalarQuantizer";
    /// <summary>The global encoder.</summary>
    public const string GlobalEncoder = "kanade_tokenizer.module.global_encoder.GlobalEncoder";
    /// <summary>The mel PostNet.</summary>
    public const string PostNet = "kanade_tokenizer.module.postnet.PostNet";
    /// <summary>The GAN discriminator of a training config.</summary>
    public const string SpectrogramDiscriminator = "kanade_tokenizer.module.discriminator.SpectrogramDiscriminator";
    /// <summary>The data module of a training config.</summary>
    public const string AudioDataModule = "kanade_tokenizer.data.datamodule.AudioDataModule";
}
