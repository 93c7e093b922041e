// Port of kanade-tokenizer pipeline.py KanadePipeline.validation_step (MIT).
using Kanade.Training.Losses;
using static TorchSharp.torch;

namespace Kanade.Training.Pipeline;

public sealed partial class KanadeTrainingPipeline
{
    /// <summary>
    /// Reconstruction losses of one evaluation batch (B, 1, samples) or (B, samples), in eval mode without gradients,
    /// as the reference's <c>validation_step</c> logs them (<c>mel_l1</c>, ..., <c>loss</c>). Any length the model accepts
    /// works: the padding rounds the SSL frames up to a multiple of <c>downsample_factor</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The batch has the wrong shape or is too short.</exception>
    /// <exception cref="InvalidOperationException">The SSL model has no weights yet.</exception>
    public EvaluationResult Evaluate(Tensor batch)
    {
        CheckEvaluationBatch(batch);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (waveform, forward) = EvaluationForward(batch);
        var melReal = settings.TrainMel ? MelReal(waveform) : null;
        var (total, components) = ReconstructionLoss.Compute(settings, Float(forward.SslReal), Float(forward.SslRecon), melReal, Float(forward.MelRecon));
        var losses = components.ToDictionary(kv => kv.Key, kv => (double)kv.Value.item<float>(), StringComparer.Ordinal);
        losses["loss"] = total.item<float>();
        double? perplexity = forward.Perplexity is null ? null : forward.Perplexity.item<float>();
        var real = melReal?.cpu().MoveToOuterDisposeScope();
        var recon = Float(forward.MelRecon)?.cpu().MoveToOuterDisposeScope();
        return new EvaluationResult(losses, perplexity, real, recon, (int)waveform.shape[0]);
    }

    /// <summary>
    /// Generated mel spectrograms (B, n_mels, frames) of a batch, float32 on the pipeline's device, in eval mode without
    /// gradients (what the reference's <c>predict_step</c> vocodes).
    /// </summary>
    /// <exception cref="ArgumentException">The batch has the wrong shape or is too short.</exception>
    /// <exception cref="InvalidOperationException">The SSL model has no weights, or train_mel is off (the mel branch did not train).</exception>
    public Tensor Generate(Tensor batch)
    {
        CheckEvaluationBatch(batch);
        if (!settings.TrainMel) throw new InvalidOperationException("pipeline_config.train_mel is false: the pipeline generates no mel spectrograms.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var forward = EvaluationForward(batch).Forward;
        return Float(forward.MelRecon)!.MoveToOuterDisposeScope();
    }

    void CheckEvaluationBatch(Tensor batch)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        CheckBatch(batch, nameof(batch), requireAudioLength: false);
        RequireSslWeights();
    }

    // Eval mode, current weights in the compute copies, one forward; the caller holds no_grad and a dispose scope.
    (Tensor Waveform, Forwarded Forward) EvaluationForward(Tensor batch)
    {
        SetMode(training: false);
        PushComputeWeights();
        var waveform = OnDevice(batch);
        return (waveform, Forward(waveform));
    }
}
