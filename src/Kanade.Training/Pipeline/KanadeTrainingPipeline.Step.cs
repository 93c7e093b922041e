// Port of kanade-tokenizer pipeline.py KanadePipeline.training_step, _discriminator_step and _generator_step (MIT).
using Kanade.Training.Gan;
using Kanade.Training.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Training.Pipeline;

public sealed partial class KanadeTrainingPipeline
{
    /// <summary>The tensors of one forward pass of the model.</summary>
    readonly record struct Forwarded(Tensor SslReal, Tensor? SslRecon, Tensor? MelRecon, Tensor? Perplexity);

    /// <summary>
    /// One training step on a batch (B, 1, samples) or (B, samples) of <c>audio_length</c> samples, in the reference's
    /// order: decide whether the discriminator trains (GAN on, <see cref="GlobalStep"/> past
    /// <c>discriminator_start_step</c>, a uniform draw below <c>discriminator_update_prob</c>); one forward of the model;
    /// if so, a discriminator update (hinge or least-squares loss on the real mel and the detached generated mel,
    /// gradient clipping, AdamW); then the generator update (reconstruction loss, plus the adversarial and
    /// feature-matching losses against the just-updated discriminator and the real features from before its update);
    /// each one-cycle schedule advances once.
    /// </summary>
    /// <exception cref="ArgumentException">The batch has the wrong shape.</exception>
    /// <exception cref="InvalidOperationException">The SSL model has no weights yet.</exception>
    public TrainingStepResult Step(Tensor batch) => Step([batch]);

    /// <summary>
    /// One training step over several micro-batches whose gradients are summed (<c>trainer.accumulate_grad_batches</c>;
    /// each micro-batch's loss is divided by their number, so the gradient is that of their mean). With one
    /// micro-batch this is exactly <see cref="Step(Tensor)"/>. With several and the GAN on, the discriminator first
    /// accumulates over all of them (generator forwards without gradient), takes its update, then the generator
    /// accumulates with a second forward each, taking the real feature maps from a copy of the discriminator as it was
    /// before its update (the reference's order, without keeping every micro-batch's graph alive).
    /// </summary>
    /// <exception cref="ArgumentException">No micro-batches, or one has the wrong shape.</exception>
    /// <exception cref="InvalidOperationException">The SSL model has no weights yet.</exception>
    public TrainingStepResult Step(IReadOnlyList<Tensor> microBatches)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(microBatches);
        if (microBatches.Count == 0) throw new ArgumentException("A training step needs at least one batch.", nameof(microBatches));
        foreach (var batch in microBatches) CheckBatch(batch, nameof(microBatches), requireAudioLength: true);
        RequireSslWeights();

        using var scope = NewDisposeScope();
        Phases?.Start();
        SetMode(training: true);
        PushComputeWeights();
        Phases?.Mark("push_weights");
        if (Config.SeedEverything is int seed) TrainingRandom.SeedCudaForStep(seed, TrainingSteps);

        // The coin is only drawn when the first two conditions hold, as Python's `and` evaluates them.
        bool trainDiscriminator = UseDiscriminator && GlobalStep >= settings.DiscriminatorStartStep
                                  && rand(1).item<float>() < settings.DiscriminatorUpdateProb;
        double learningRate = GeneratorScheduler.LastLearningRates[0];
        double? discriminatorLearningRate = DiscriminatorScheduler?.LastLearningRates[0];
        int count = microBatches.Count;
        var generatorSums = new Dictionary<string, double>(StringComparer.Ordinal);
        var discriminatorSums = new Dictionary<string, double>(StringComparer.Ordinal);
        double perplexitySum = 0;
        bool hasPerplexity = false;
        double? discriminatorNorm = null;

        void Record(Dictionary<string, double> sums, string name, Tensor value) =>
            sums[name] = sums.GetValueOrDefault(name) + value.item<float>() / count;

        void RecordForward(Forwarded forward)
        {
            if (forward.Perplexity is null) return;
            perplexitySum += forward.Perplexity.item<float>() / count;
            hasPerplexity = true;
        }

        if (count == 1)
        {
            var waveform = OnDevice(microBatches[0]);
            var forward = Forward(waveform);
            RecordForward(forward);
            var melReal = settings.TrainMel ? MelReal(waveform) : null;
            Phases?.Mark("forward");
            IReadOnlyList<Tensor>? realIntermediates = null;
            if (trainDiscriminator)
            {
                ClearDiscriminatorGradients();
                var (loss, real, fake, intermediates) = DiscriminatorLoss(melReal!, forward.MelRecon!.detach());
                loss.backward();
                discriminatorTrained!.CollectGradients();
                (realIntermediates, discriminatorSums["loss"], discriminatorSums["real"], discriminatorSums["fake"]) =
                    (intermediates, loss.item<float>(), real.item<float>(), fake.item<float>());
                discriminatorNorm = ClipAndStep(discriminatorTrained!);
                Phases?.Mark("discriminator");
            }
            ClearGeneratorGradients();
            var (total, parts) = GeneratorLoss(forward, melReal, trainDiscriminator ? realIntermediates : null);
            Phases?.Mark("loss");
            total.backward();
            Phases?.Mark("backward");
            generatorTrained.CollectGradients();
            Phases?.Mark("pull_gradients");
            foreach (var (name, value) in parts) Record(generatorSums, name, value);
            Phases?.Mark("read_losses");
        }
        else
        {
            if (trainDiscriminator)
            {
                SnapshotDiscriminator();
                ClearDiscriminatorGradients();
                foreach (var batch in microBatches)
                {
                    using var batchScope = NewDisposeScope();
                    var waveform = OnDevice(batch);
                    Tensor melRecon;
                    using (no_grad()) melRecon = Forward(waveform).MelRecon!;
                    var (loss, real, fake, _) = DiscriminatorLoss(MelReal(waveform), melRecon);
                    (loss / count).backward();
                    discriminatorTrained!.CollectGradients();
                    Record(discriminatorSums, "loss", loss);
                    Record(discriminatorSums, "real", real);
                    Record(discriminatorSums, "fake", fake);
                }
                discriminatorNorm = ClipAndStep(discriminatorTrained!);
            }
            ClearGeneratorGradients();
            foreach (var batch in microBatches)
            {
                using var batchScope = NewDisposeScope();
                var waveform = OnDevice(batch);
                var forward = Forward(waveform);
                RecordForward(forward);
                var melReal = settings.TrainMel ? MelReal(waveform) : null;
                IReadOnlyList<Tensor>? realIntermediates = null;
                if (trainDiscriminator)
                {
                    using var _ = no_grad();
                    realIntermediates = discriminatorSnapshot!.call(ToCompute(melReal!)).Intermediates;
                }
                var (total, parts) = GeneratorLoss(forward, melReal, realIntermediates);
                (total / count).backward();
                generatorTrained.CollectGradients();
                foreach (var (name, value) in parts) Record(generatorSums, name, value);
            }
        }

        if (UseDiscriminator) DiscriminatorScheduler!.Step();
        double gradNorm = ClipAndStep(generatorTrained);
        GeneratorScheduler.Step();
        Phases?.Mark("clip_and_optimizer");
        computeWeightsStale = true;
        TrainingSteps++;
        OptimizerSteps += trainDiscriminator ? 2 : 1;

        return new TrainingStepResult
        {
            Losses = generatorSums,
            GradNorm = gradNorm,
            Perplexity = hasPerplexity ? perplexitySum : null,
            DiscriminatorTrained = trainDiscriminator,
            DiscriminatorLosses = discriminatorSums,
            DiscriminatorGradNorm = discriminatorNorm,
            LearningRate = learningRate,
            DiscriminatorLearningRate = discriminatorLearningRate,
            Step = GlobalStep,
        };
    }

    /// <summary>The model's forward as the reference pipeline's <c>forward</c>: SSL features, content (and reconstruction), mel.</summary>
    Forwarded Forward(Tensor waveform)
    {
        int padding = PaddingFor(waveform.shape[^1]);
        var (local, global) = computeModel.ForwardSslFeatures(waveform, padding);
        var (quantized, _, sslRecon, perplexity) = computeModel.ForwardContent(local);
        Tensor? melRecon = null;
        if (settings.TrainMel)
        {
            var globalEmbedding = computeModel.ForwardGlobal(global);
            melRecon = computeModel.ForwardMel(quantized, globalEmbedding, Model.TargetMelLength(waveform.shape[^1]));
        }
        return new Forwarded(local, sslRecon, melRecon, Model.HasFeatureDecoder ? perplexity : null);
    }

    /// <summary>
    /// Zeros on each side so the SSL frame count is a multiple of <c>downsample_factor</c> (<c>ensure_recon_length</c>);
    /// for <c>audio_length</c>, which the config check requires to fit, this is the reference's padding.
    /// </summary>
    int PaddingFor(long samples) => KanadeLengths.WaveformPadding(samples, Model.Config.SampleRate, Model.SslFeatureExtractor.SslSampleRate,
        Model.SslFeatureExtractor.ConvLayers, Model.Config.DownsampleFactor, ensureReconstructionLength: true);

    /// <summary>The target: float32 log-mel (B, n_mels, frames) of the float32 waveform.</summary>
    Tensor MelReal(Tensor waveform) => MelSpectrogram.call(waveform.squeeze(1));

    (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) GeneratorLoss(Forwarded forward, Tensor? melReal, IReadOnlyList<Tensor>? realIntermediates)
    {
        var (recon, components) = ReconstructionLoss.Compute(settings, Float(forward.SslReal), Float(forward.SslRecon), melReal, Float(forward.MelRecon));
        var parts = new Dictionary<string, Tensor>(components, StringComparer.Ordinal);
        var total = recon;
        if (realIntermediates is not null)
        {
            var discriminator = computeDiscriminator!;
            // The discriminator's own weights need no gradient here; the mel does (results are the same, the work is not).
            foreach (var parameter in discriminator.parameters()) parameter.requires_grad = false;
            try
            {
                var (fakeOutputs, fakeIntermediates) = discriminator.call(ToCompute(forward.MelRecon!));
                var adversarial = AdversarialLoss.Generator(Float(fakeOutputs)!, adversarialLoss);
                var matching = Float(AdversarialLoss.FeatureMatching(realIntermediates, fakeIntermediates))!; // bf16 maps: float32 like every loss
                total = total + settings.AdvWeight * adversarial + settings.FeatureMatchingWeight * matching;
                parts["adv_loss"] = adversarial;
                parts["feature_matching_loss"] = matching;
            }
            finally
            {
                foreach (var parameter in discriminator.parameters()) parameter.requires_grad = true;
            }
        }
        parts["loss"] = total;
        return (total, parts);
    }

    (Tensor Total, Tensor Real, Tensor Fake, IReadOnlyList<Tensor> RealIntermediates) DiscriminatorLoss(Tensor melReal, Tensor melReconDetached)
    {
        var discriminator = computeDiscriminator!;
        var (realOutputs, realIntermediates) = discriminator.call(ToCompute(melReal));
        var (fakeOutputs, _) = discriminator.call(ToCompute(melReconDetached));
        var (total, real, fake) = AdversarialLoss.Discriminator(Float(realOutputs)!, Float(fakeOutputs)!, adversarialLoss);
        return (total, real, fake, realIntermediates);
    }

    // PyTorch's clip_grad_norm_ with max_norm = gradient_clip_val or inf, then AdamW; the norm is the one before clipping.
    double ClipAndStep(TrainedParameters trained) => trained.ClipAndStep(settings.GradientClipVal ?? double.PositiveInfinity);

    // PyTorch's zero_grad(set_to_none=True): AdamW skips a parameter without a gradient.
    void ClearGeneratorGradients() => generatorTrained.ClearGradients();

    void ClearDiscriminatorGradients() => discriminatorTrained!.ClearGradients();

    void SnapshotDiscriminator()
    {
        var source = computeDiscriminator!;
        if (discriminatorSnapshot is null)
        {
            // Step was given several micro-batches although accumulate_grad_batches is 1: keep the generator untouched.
            byte[] generator = TrainingRandom.CpuState();
            discriminatorSnapshot = CopyOf(source, () => new SpectrogramDiscriminator(source.Options), ComputeType);
            TrainingRandom.RestoreCpuState(generator);
        }
        discriminatorSnapshot.eval();
        using var _ = no_grad();
        CopyState(source, discriminatorSnapshot);
    }

    void PushComputeWeights()
    {
        if (!computeWeightsStale) return;
        generatorTrained.PushWeights();
        discriminatorTrained?.PushWeights();
        computeWeightsStale = false;
    }

    void SetMode(bool training)
    {
        computeModel.train(training);
        computeModel.SslFeatureExtractor.eval();    // frozen: WavLM's dropout and LayerDrop stay off
        computeDiscriminator?.train(training);
    }

    /// <summary>The discriminator's compute dtype (the model's bfloat16 stages cast their own inputs and outputs).</summary>
    ScalarType ComputeType => Precision == PrecisionMode.Bf16Mixed ? ScalarType.BFloat16 : ScalarType.Float32;

    Tensor ToCompute(Tensor x) => x.dtype == ComputeType ? x : x.to(ComputeType);

    static Tensor? Float(Tensor? x) => x is null || x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);

    /// <summary>(B, 1, S) or (B, S) float32 on the pipeline's device, as (B, 1, S).</summary>
    Tensor OnDevice(Tensor batch)
    {
        var x = batch.dim() == 2 ? batch.unsqueeze(1) : batch;     // (B, S) -> (B, 1, S)
        if (x.device_type != Device.type || x.device_index != Device.index) x = x.to(Device);
        return x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
    }

    void RequireSslWeights()
    {
        if (!SslWeightsLoaded && !allowRandomSsl)
            throw new InvalidOperationException(
                "The SSL model still has random weights: give its weights (TrainingPipelineOptions.SslWeightsPath, --ssl-weights) or load a checkpoint that holds them.");
    }

    void CheckBatch(Tensor batch, string name, bool requireAudioLength)
    {
        ArgumentNullException.ThrowIfNull(batch, name);
        bool shaped = batch.dim() == 2 || (batch.dim() == 3 && batch.shape[1] == 1);
        if (!shaped || !batch.is_floating_point())
            throw new ArgumentException($"A batch must be a float waveform tensor (B, 1, samples) or (B, samples); got {batch.dtype} [{string.Join(", ", batch.shape)}].", name);
        long samples = batch.shape[^1];
        if (requireAudioLength && samples != settings.AudioLength)
            throw new ArgumentException(
                $"Training batches must have pipeline_config.audio_length = {settings.AudioLength} samples (the reference sizes the padding and mel target for it); got {samples}.", name);
        if (samples < Model.MinimumSamples)
            throw new ArgumentException($"A batch of {samples} samples is shorter than the {Model.MinimumSamples} the model needs.", name);
    }
}
