// How the training pipeline computes on the device. TorchSharp has no autocast, so mixed precision is explicit here.
namespace Kanade.Training.Pipeline;

/// <summary>Arithmetic of the training step (<c>trainer.precision</c>).</summary>
public enum PrecisionMode
{
    /// <summary><c>32</c> / <c>32-true</c>: float32 everywhere (the reference's numbers; the parity tests use it).</summary>
    Float32,

    /// <summary>
    /// <c>tf32</c>: float32 tensors, with CUDA matrix products and convolutions in TensorFloat-32
    /// (<c>torch.backends.cuda.matmul.allow_tf32</c>, <c>cudnn.allow_tf32</c>; what the reference's
    /// <c>torch.set_float32_matmul_precision("high")</c> asks for). No effect on the CPU.
    /// </summary>
    Tf32,

    /// <summary>
    /// <c>bf16-mixed</c>: the generator and discriminator run forward and backward in a bfloat16 copy; the float32
    /// master weights, their gradients (each micro-batch's bfloat16 gradient is added into a float32 one), gradient
    /// clipping, AdamW and its moments stay float32, and so do the mel target, the mel transform and every loss.
    /// Meant for CUDA (TF32 is enabled alongside); a YAML's <c>bf16-mixed</c> runs <see cref="Float32"/> on the CPU.
    /// </summary>
    Bf16Mixed,
}

/// <summary>Reads Lightning's <c>trainer.precision</c> spellings.</summary>
public static class PrecisionModes
{
    /// <summary>
    /// <c>32</c>, <c>32-true</c>, <c>high</c>/<c>tf32</c> (TF32 on CUDA) or <c>bf16-mixed</c>/<c>bf16</c>. Half precision
    /// (<c>16-mixed</c>) would need a gradient scaler and <c>bf16-true</c> trains without float32 master weights: both refused.
    /// </summary>
    /// <exception cref="ArgumentException">Any other value; the message lists the accepted ones.</exception>
    public static PrecisionMode Parse(string value) => value.Trim() switch
    {
        "32" or "32-true" or "fp32" or "float32" => PrecisionMode.Float32,
        "tf32" or "high" => PrecisionMode.Tf32,
        "bf16-mixed" or "bf16" => PrecisionMode.Bf16Mixed,
        "16-mixed" or "16" or "16-true" or "bf16-true" or "64" or "64-true" => throw new ArgumentException(
            $"trainer.precision '{value}' is not supported; use 32-true, tf32 or bf16-mixed (bfloat16 compute with float32 master weights)."),
        _ => throw new ArgumentException($"trainer.precision '{value}' is not one of 32, 32-true, tf32, bf16-mixed."),
    };
}
