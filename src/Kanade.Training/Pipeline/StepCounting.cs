// What "a step" means for trainer.max_steps, discriminator_start_step, checkpoint intervals and log steps.
namespace Kanade.Training.Pipeline;

/// <summary>
/// How steps are counted. Lightning's <c>global_step</c> under the reference's manual optimisation counts optimizer
/// <c>step()</c> calls of both optimizers, so a GAN step that updates the discriminator advances it by two: a GAN run
/// with <c>max_steps: 200000</c> stops after about 100,000 batches while its one-cycle schedules (sized 200,000)
/// are only half way, and <c>discriminator_start_step</c> is reached after half as many batches as it says.
/// </summary>
public enum StepCounting
{
    /// <summary>
    /// One step per training step (one generator update, with or without a discriminator update): max_steps batches
    /// (times the accumulation) are trained and both schedules run to their end. The default.
    /// </summary>
    TrainingSteps,

    /// <summary>Lightning's count: every optimizer update is a step (two per GAN step). Reproduces a reference run's length and schedule.</summary>
    LightningOptimizerSteps,
}
