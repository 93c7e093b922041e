// Port of kanade-tokenizer pipeline.py _get_reconstruction_loss (MIT).
using Kanade.Training.Config;
using static TorchSharp.torch;

namespace Kanade.Training.Losses;

/// <summary>
/// The generator's reconstruction objective: weighted L1 + L2 between reconstructed and real SSL features
/// (when <c>train_feature</c>) plus weighted L1 + L2 between generated and real mel spectrograms (when
/// <c>train_mel</c>). Component names are the reference's log names.
/// </summary>
public static class ReconstructionLoss
{
    /// <summary>Mean |recon - real| of the SSL features.</summary>
    public const string SslL1 = "ssl_l1";
    /// <summary>Mean (recon - real)^2 of the SSL features.</summary>
    public const string SslL2 = "ssl_l2";
    /// <summary><c>feature_l1_weight</c> x ssl_l1 + <c>feature_l2_weight</c> x ssl_l2.</summary>
    public const string FeatureLoss = "feature_loss";
    /// <summary>Mean |recon - real| of the mel spectrogram.</summary>
    public const string MelL1 = "mel_l1";
    /// <summary>Mean (recon - real)^2 of the mel spectrogram.</summary>
    public const string MelL2 = "mel_l2";
    /// <summary><c>mel_l1_weight</c> x mel_l1 + <c>mel_l2_weight</c> x mel_l2.</summary>
    public const string MelLoss = "mel_loss";

    /// <summary>
    /// Computes the loss. <paramref name="sslReal"/>/<paramref name="sslRecon"/> (B, T, C) are required when
    /// <c>train_feature</c> is on, <paramref name="melReal"/>/<paramref name="melRecon"/> (B, n_mels, frames)
    /// when <c>train_mel</c> is on; the others are ignored. Returns the scalar total (feature_loss + mel_loss)
    /// and the scalar components of the branches that train.
    /// </summary>
    /// <exception cref="ArgumentException">A needed tensor is missing or the two sides differ in shape.</exception>
    public static (Tensor Total, IReadOnlyDictionary<string, Tensor> Components) Compute(KanadePipelineConfig config,
        Tensor? sslReal, Tensor? sslRecon, Tensor? melReal, Tensor? melRecon)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var scope = NewDisposeScope();
        var components = new Dictionary<string, Tensor>();
        Tensor? total = null;
        if (config.TrainFeature)
        {
            var (l1, l2) = Distances(sslRecon, sslReal, "SSL features", "train_feature");
            var weighted = l1 * config.FeatureL1Weight + l2 * config.FeatureL2Weight;
            (components[SslL1], components[SslL2], components[FeatureLoss]) = (l1, l2, weighted);
            total = weighted;
        }
        if (config.TrainMel)
        {
            var (l1, l2) = Distances(melRecon, melReal, "mel spectrograms", "train_mel");
            var weighted = l1 * config.MelL1Weight + l2 * config.MelL2Weight;
            (components[MelL1], components[MelL2], components[MelLoss]) = (l1, l2, weighted);
            total = total is null ? weighted : total + weighted;
        }
        if (total is null)
            throw new ArgumentException("pipeline_config.train_feature and train_mel are both false: there is no reconstruction loss.");
        foreach (var value in components.Values) value.MoveToOuterDisposeScope();
        return (total.MoveToOuterDisposeScope(), components);
    }

    static (Tensor L1, Tensor L2) Distances(Tensor? recon, Tensor? real, string what, string flag)
    {
        if (recon is null || real is null)
            throw new ArgumentException($"pipeline_config.{flag} is on but the {what} to compare were not given.");
        if (!recon.shape.SequenceEqual(real.shape))
            throw new ArgumentException(
                $"Reconstructed {what} have shape [{string.Join(", ", recon.shape)}] but the real ones [{string.Join(", ", real.shape)}]; " +
                "check that pipeline_config.audio_length fits model_config.downsample_factor.");
        return (nn.functional.l1_loss(recon, real), nn.functional.mse_loss(recon, real));
    }
}
