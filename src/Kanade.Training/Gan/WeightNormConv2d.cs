// Port of torch.nn.utils.parametrizations.weight_norm (dim 0) over nn.Conv2d, as kanade-tokenizer
// module/discriminator.py uses it (PyTorch, BSD-3).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Training.Gan;

/// <summary>
/// A 2-D convolution whose weight is <c>g * v / ||v||</c> (norm over every dimension but the output channel),
/// with <c>g</c> and <c>v</c> trained instead of the weight. TorchSharp has no <c>weight_norm</c>; the parameter
/// names are PyTorch's parametrization names (<c>bias</c>, <c>parametrizations.weight.original0</c> = g,
/// <c>parametrizations.weight.original1</c> = v) so checkpoints load unchanged.
/// </summary>
public sealed class WeightNormConv2d : Module<Tensor, Tensor>
{
    readonly long[] padding;
    readonly long[] dilation;

#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint format.
    readonly Parameter bias;
    readonly WeightNormParametrizations parametrizations;
#pragma warning restore IDE1006

    /// <summary>
    /// Creates the convolution with PyTorch's default Conv2d initialisation, then sets v to that weight and
    /// g to its per-output-channel norm (what <c>weight_norm</c> does on a fresh layer).
    /// </summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">(height, width) kernel; here (time, frequency).</param>
    /// <param name="padding">(height, width) zero padding.</param>
    /// <param name="dilation">(height, width) dilation.</param>
    public WeightNormConv2d(long inChannels, long outChannels, (long, long) kernelSize, (long, long) padding, (long, long) dilation)
        : base(nameof(WeightNormConv2d))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1, nameof(inChannels));
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1, nameof(outChannels));
        if (kernelSize.Item1 < 1 || kernelSize.Item2 < 1)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), $"Kernel size {kernelSize} must be positive in both dimensions.");
        this.padding = [padding.Item1, padding.Item2];
        this.dilation = [dilation.Item1, dilation.Item2];

        using var init = nn.Conv2d(inChannels, outChannels, kernelSize, padding: padding, dilation: dilation);
        using (no_grad())
        {
            // Detached from any dispose scope: a module built inside one (a discriminator snapshot) must outlive it.
            bias = new Parameter(init.bias!.detach().clone().DetachFromDisposeScope());
            parametrizations = new WeightNormParametrizations(init.weight!.detach());
        }
        RegisterComponents();
    }

    /// <summary>The effective weight <c>g * v / ||v||</c>, (out, in, kH, kW).</summary>
    public Tensor Weight() => parametrizations.weight.Compute();

    /// <summary>Convolves (B, in, H, W) to (B, out, H', W').</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var weight = parametrizations.weight.Compute();
        var result = nn.functional.conv2d(input, weight, bias, padding: padding, dilation: dilation);
        return result.MoveToOuterDisposeScope();
    }
}

/// <summary>The <c>parametrizations</c> container of a parametrized module: one entry, <c>weight</c>.</summary>
public sealed class WeightNormParametrizations : nn.Module
{
#pragma warning disable IDE1006 // PyTorch attribute name: it is the checkpoint format.
    /// <summary>The weight's parametrization (g and v).</summary>
    public readonly WeightNorm weight;
#pragma warning restore IDE1006

    /// <summary>Wraps <paramref name="initialWeight"/> (copied) as g = ||w||, v = w.</summary>
    public WeightNormParametrizations(Tensor initialWeight) : base(nameof(WeightNormParametrizations))
    {
        weight = new WeightNorm(initialWeight);
        RegisterComponents();
    }
}

/// <summary>Weight norm over dimension 0: <c>original0</c> is g (out, 1, ..., 1), <c>original1</c> is v.</summary>
public sealed class WeightNorm : nn.Module
{
#pragma warning disable IDE1006 // PyTorch parametrization names: they are the checkpoint format.
    readonly Parameter original0;
    readonly Parameter original1;
#pragma warning restore IDE1006

    /// <summary>Sets v to a copy of <paramref name="initialWeight"/> and g to its norm per output channel.</summary>
    public WeightNorm(Tensor initialWeight) : base(nameof(WeightNorm))
    {
        using (no_grad())
        {
            original0 = new Parameter(NormExceptDim0(initialWeight).DetachFromDisposeScope());
            original1 = new Parameter(initialWeight.detach().clone().DetachFromDisposeScope());
        }
        RegisterComponents();
    }

    /// <summary>g * v / ||v||, with the norm over every dimension but the first (the folding inference loads use).</summary>
    public Tensor Compute() => Kanade.IO.WeightNorm.Fold(original0, original1);

    // (out, d1, d2, ...) -> (out, 1, 1, ...): the L2 norm of each output channel's slice.
    static Tensor NormExceptDim0(Tensor v)
    {
        long[] dims = [.. Enumerable.Range(1, (int)v.dim() - 1).Select(d => (long)d)];
        return v.pow(2).sum(dims, keepdim: true).sqrt();
    }
}
