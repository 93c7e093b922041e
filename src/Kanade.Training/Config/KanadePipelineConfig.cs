// Port of kanade-tokenizer pipeline.py KanadePipelineConfig (MIT). Property names are the YAML keys in PascalCase.
namespace Kanade.Training.Config;

/// <summary>
/// The <c>model.init_args.pipeline_config</c> section of a training YAML: what trains, the audio length, the
/// optimiser and schedule, the loss weights, the GAN and where to start from. Defaults are the reference's.
/// </summary>
public sealed record KanadePipelineConfig
{
    /// <summary>Train SSL-feature reconstruction (local branch); when false the local branch is frozen.</summary>
    public bool TrainFeature { get; init; } = true;
    /// <summary>Train mel generation (global branch and mel decoder); when false they are frozen.</summary>
    public bool TrainMel { get; init; } = true;

    /// <summary>Samples per training example at the model's rate; its SSL frame count must divide by <c>downsample_factor</c>.</summary>
    public int AudioLength { get; init; } = 138240;

    /// <summary>Peak learning rate of the generator (and of the discriminator unless <see cref="DiscriminatorLr"/> is set).</summary>
    public double Lr { get; init; } = 2e-4;
    /// <summary>AdamW decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>AdamW (beta1, beta2); beta1 is then cycled by the one-cycle schedule.</summary>
    public IReadOnlyList<double> Betas { get; init; } = [0.9, 0.99];
    /// <summary>Gradient-norm clipping threshold; null for none (the norm is still reported).</summary>
    public double? GradientClipVal { get; init; } = 1.0;

    /// <summary>Fraction of <c>trainer.max_steps</c> spent warming up (OneCycleLR <c>pct_start</c>).</summary>
    public double WarmupPercent { get; init; } = 0.1;
    /// <summary>Initial rate = lr / this (OneCycleLR <c>div_factor</c>).</summary>
    public double LrDivFactor { get; init; } = 10.0;
    /// <summary>Final rate = initial / this (OneCycleLR <c>final_div_factor</c>).</summary>
    public double LrFinalDivFactor { get; init; } = 1.0;
    /// <summary><c>cos</c> or <c>linear</c> (OneCycleLR <c>anneal_strategy</c>).</summary>
    public string AnnealMode { get; init; } = "cos";

    /// <summary>Weight of the L1 SSL-feature reconstruction loss.</summary>
    public double FeatureL1Weight { get; init; } = 30.0;
    /// <summary>Weight of the L2 (MSE) SSL-feature reconstruction loss.</summary>
    public double FeatureL2Weight { get; init; }
    /// <summary>Weight of the L1 mel reconstruction loss.</summary>
    public double MelL1Weight { get; init; } = 30.0;
    /// <summary>Weight of the L2 (MSE) mel reconstruction loss.</summary>
    public double MelL2Weight { get; init; }
    /// <summary>Weight of the generator's adversarial loss.</summary>
    public double AdvWeight { get; init; } = 1.0;
    /// <summary>Weight of the discriminator feature-matching loss.</summary>
    public double FeatureMatchingWeight { get; init; } = 10.0;

    /// <summary>Train against the spectrogram discriminator (needs <c>discriminator</c> and <see cref="TrainMel"/>).</summary>
    public bool UseDiscriminator { get; init; }
    /// <summary><c>hinge</c> or <c>least_square</c>.</summary>
    public string AdvLossType { get; init; } = "hinge";
    /// <summary>Peak learning rate of the discriminator; null for <see cref="Lr"/>.</summary>
    public double? DiscriminatorLr { get; init; }
    /// <summary>Global step from which the discriminator trains.</summary>
    public int DiscriminatorStartStep { get; init; }
    /// <summary>Probability of a discriminator update (and the GAN losses) at each step.</summary>
    public double DiscriminatorUpdateProb { get; init; } = 1.0;

    /// <summary>Weights to start from: a checkpoint path or an <c>hf:</c> id; null for random initialisation.</summary>
    public string? CkptPath { get; init; }
    /// <summary>Name prefixes of model tensors not taken from <see cref="CkptPath"/> (they keep their initialisation).</summary>
    public IReadOnlyList<string> SkipLoadingModules { get; init; } = [];

    /// <summary>Validation examples logged as mel images (and audio when a vocoder is available).</summary>
    public int LogMelSamples { get; init; } = 10;
    /// <summary>Accepted for compatibility; TorchSharp has no <c>torch.compile</c>, so it has no effect.</summary>
    public bool UseTorchCompile { get; init; } = true;

    /// <summary>Checks ranges and spellings; the message names the key and the accepted values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        static void Require(bool condition, string message)
        {
            if (!condition) throw new ArgumentException("pipeline_config." + message);
        }
        Require(AudioLength > 0, $"audio_length must be a positive number of samples, got {AudioLength}.");
        Require(Lr > 0, $"lr must be positive, got {Lr}.");
        Require(WeightDecay >= 0, $"weight_decay must be 0 or more, got {WeightDecay}.");
        Require(Betas.Count == 2 && Betas.All(b => b >= 0 && b < 1), $"betas must be two values in [0, 1), got [{string.Join(", ", Betas)}].");
        Require(GradientClipVal is null or > 0, $"gradient_clip_val must be positive or null, got {GradientClipVal}.");
        Require(WarmupPercent is >= 0 and <= 1, $"warmup_percent must be between 0 and 1, got {WarmupPercent}.");
        Require(LrDivFactor > 0, $"lr_div_factor must be positive, got {LrDivFactor}.");
        Require(LrFinalDivFactor > 0, $"lr_final_div_factor must be positive, got {LrFinalDivFactor}.");
        Require(AnnealMode is "cos" or "linear", $"anneal_mode '{AnnealMode}' is not supported; expected 'cos' or 'linear'.");
        Require(AdvLossType is "hinge" or "least_square", $"adv_loss_type '{AdvLossType}' is not supported; expected 'hinge' or 'least_square'.");
        foreach (var (name, weight) in new[]
        {
            ("feature_l1_weight", FeatureL1Weight), ("feature_l2_weight", FeatureL2Weight), ("mel_l1_weight", MelL1Weight),
            ("mel_l2_weight", MelL2Weight), ("adv_weight", AdvWeight), ("feature_matching_weight", FeatureMatchingWeight),
        })
            Require(weight >= 0, $"{name} must be 0 or more, got {weight}.");
        Require(DiscriminatorLr is null or > 0, $"discriminator_lr must be positive or null, got {DiscriminatorLr}.");
        Require(DiscriminatorStartStep >= 0, $"discriminator_start_step must be 0 or more, got {DiscriminatorStartStep}.");
        Require(DiscriminatorUpdateProb is >= 0 and <= 1, $"discriminator_update_prob must be between 0 and 1, got {DiscriminatorUpdateProb}.");
        Require(TrainFeature || TrainMel, "train_feature and train_mel are both false: nothing would train.");
        Require(LogMelSamples >= 0, $"log_mel_samples must be 0 or more, got {LogMelSamples}.");
    }
}
