using System.CommandLine;
using static TorchSharp.torch;

namespace Kanade.Cli.Infrastructure;

/// <summary>
/// <c>--precision auto|fp32|bf16|bf16-ssl-fp32</c>: the compute dtype of inference. <c>auto</c> is float32 on the CPU
/// and, on CUDA, the reference's own split (WavLM in float32 with TF32 matrix products, the Kanade branches in bfloat16).
/// </summary>
internal static class PrecisionOption
{
    public static readonly string[] Values = ["auto", "fp32", "bf16", "bf16-ssl-fp32"];

    public static Option<string> Create() => new Option<string>("--precision")
    {
        Description = "Inference precision: fp32; bf16 (everything, fastest on CUDA); bf16-ssl-fp32 (the reference's CUDA split); auto = fp32 on CPU, bf16-ssl-fp32 on CUDA.",
        DefaultValueFactory = _ => "auto",
        HelpName = "auto|fp32|bf16|bf16-ssl-fp32",
    }.AcceptOnlyFromAmong(Values);

    /// <summary>The precision <paramref name="value"/> means on <paramref name="device"/>.</summary>
    public static string Resolve(string value, Device device) =>
        value != "auto" ? value : device.type == TorchSharp.DeviceType.CUDA ? "bf16-ssl-fp32" : "fp32";

    /// <summary>Sets <paramref name="model"/>'s inference precision.</summary>
    public static void Apply(KanadeModel model, string value, Device device)
    {
        switch (Resolve(value, device))
        {
            case "bf16": model.SetInferencePrecision(ScalarType.BFloat16, includeSsl: true); break;
            case "bf16-ssl-fp32":
                model.SetInferencePrecision(ScalarType.BFloat16, includeSsl: false);
                // WavLM's float32 matrix products in TF32 on CUDA: a 10-bit mantissa, still finer than the bfloat16 of the branches.
                if (device.type == TorchSharp.DeviceType.CUDA) TorchSharp.torch.backends.cuda.matmul.allow_tf32 = true;
                break;
        }
    }
}
