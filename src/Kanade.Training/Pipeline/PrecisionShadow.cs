// Mixed precision without autocast: a bfloat16 compute copy of a module trained through float32 master weights.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Training.Pipeline;

/// <summary>
/// Pairs the trainable parameters of a float32 master module with those of its lower-precision compute copy.
/// Before a forward the master weights are copied (rounded) into the copy; after each backward the copy's gradients
/// are added, in float32, into the master's and cleared. The optimizer only ever sees the master.
/// </summary>
sealed class PrecisionShadow
{
    readonly (Parameter Master, Parameter Compute)[] pairs;

    /// <summary>Pairs the parameters named alike in <paramref name="master"/> and <paramref name="compute"/> that require grad in the master.</summary>
    public PrecisionShadow(nn.Module master, nn.Module compute)
    {
        var computeParameters = compute.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        pairs = [.. master.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.parameter, computeParameters[p.name]))];
        foreach (var (name, parameter) in compute.named_parameters())
            parameter.requires_grad = master.get_parameter(name)!.requires_grad;
    }

    /// <summary>Copies every master weight into the compute copy.</summary>
    public void PushWeights()
    {
        using var _ = no_grad();
        foreach (var (master, compute) in pairs) compute.copy_(master);
    }

    /// <summary>Adds the compute copy's gradients (float32) into the master's and clears them from the copy.</summary>
    public void PullGradients()
    {
        using var _ = no_grad();
        foreach (var (master, compute) in pairs)
        {
            using var gradient = compute.grad;
            if (gradient is null) continue;
            using var existing = master.grad;
            if (existing is null)
            {
                using var converted = gradient.to(master.dtype);
                master.grad = converted;
            }
            else existing.add_(gradient);
            compute.grad = null;
        }
    }

    /// <summary>Clears the gradients of both sides.</summary>
    public void ClearGradients()
    {
        foreach (var (master, compute) in pairs)
        {
            master.grad = null;
            compute.grad = null;
        }
    }
}
