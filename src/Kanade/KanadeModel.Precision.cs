using TorchSharp;
using static TorchSharp.torch;

namespace Kanade;

public sealed partial class KanadeModel
{
    ScalarType branchDtype = ScalarType.Float32, sslDtype = ScalarType.Float32;

    /// <summary>Dtype of the Transformer, ConvNeXt and PostNet compute (float32 unless <see cref="SetInferencePrecision"/> changed it).</summary>
    public ScalarType ComputeDtype => branchDtype;
    /// <summary>Dtype of the SSL model's compute.</summary>
    public ScalarType SslComputeDtype => sslDtype;

    /// <summary>
    /// Runs inference in <paramref name="dtype"/> (bfloat16 or float16 on CUDA, where matrix work is several times faster):
    /// the SSL model (when <paramref name="includeSsl"/>), the local and global encoders and the mel decoder hold
    /// their weights in that dtype, while resampling, SSL-layer mixing and time normalisation, FSQ and every stage
    /// output stay float32. The weights are converted in place: reload the checkpoint to return to float32. For
    /// inference only; training keeps float32 master weights.
    /// </summary>
    /// <remarks>
    /// The reference autocasts its content and global branches and the mel decoder to bfloat16 on CUDA and keeps
    /// WavLM in float32; <paramref name="includeSsl"/> = false reproduces that split. Token agreement with float32
    /// is reported in docs/performance.md.
    /// </remarks>
    public void SetInferencePrecision(ScalarType dtype, bool includeSsl = true)
    {
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Float64))
            throw new ArgumentException($"Inference precision must be a floating-point dtype (Float32, BFloat16, Float16), got {dtype}.", nameof(dtype));
        foreach (nn.Module module in new nn.Module?[] { local_encoder, conv_downsample, global_encoder, mel_prenet, mel_conv_upsample, mel_decoder, mel_postnet }.OfType<nn.Module>())
            module.to(dtype);
        branchDtype = dtype;
        sslDtype = includeSsl ? dtype : ScalarType.Float32;
        ssl_feature_extractor.Model.to(sslDtype);
    }

    /// <summary>Casts a stage input to the branch compute dtype (a no-op in float32).</summary>
    Tensor ToBranch(Tensor x) => x.dtype == branchDtype || !x.is_floating_point() ? x : x.to(branchDtype);

    /// <summary>Casts a stage output back to float32 (a no-op in float32).</summary>
    static Tensor ToFloat32(Tensor x) => x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
}
