// Port of torchaudio models/wav2vec2/components.py ConvLayerBlock (BSD-2-Clause), in (B, T, C) layout.
using Kanade.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kanade.Ssl;

/// <summary>One convolution of the feature extractor: Conv1d, optional norm, GELU; also carries the valid lengths.</summary>
/// <remarks>
/// Activations are (B, T, C), where torchaudio keeps (B, C, T). On CUDA in bf16 or fp16, or in float32 with TF32 matrix
/// products allowed (<see cref="ReducedPrecision"/>), each convolution is a few matrix products over strided views of
/// its input (nothing transposed or copied), the first layer's convolution and GroupNorm are one product
/// (<see cref="NormalizedWaveformConvolution"/>), a LayerNorm runs over the last axis, and the extractor's output needs
/// no final transpose. Otherwise (the CPU, strict float32 on CUDA) every step runs on contiguous (B, C, T) with
/// PyTorch's own convolution and GroupNorm, as the reference computes them: cuDNN's float32 convolutions use TF32 by
/// PyTorch's default, and strict float32 products take twice as long. Front end (with one WavLM layer) for 64 x 10 s:
/// on an H200 in bf16, equal and length-bucketed lengths, 18.5 and 19.1 ms with the first norm folded into its
/// convolution and the positional convolution through the FFT, against 24.7 and 29.2 ms without, in one call; on an
/// H100, float32 with TF32 (the default bf16-ssl-fp32) 47.0 and 47.7 ms against cuDNN on transposed views 54.5 and
/// 65.5 ms in one call, strict float32 104 ms against cuDNN's 63 and 74 ms.
/// </remarks>
sealed class ConvLayerBlock : nn.Module<Tensor, Tensor?, (Tensor Output, Tensor? Lengths)>
{
    const double NormEps = 1e-5;
    readonly ConvLayerSpec spec;

#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly nn.Module<Tensor, Tensor>? layer_norm;
    readonly Conv1d conv;
#pragma warning restore IDE1006

    /// <param name="inChannels">Input channels (1 for the first block).</param>
    /// <param name="spec">Output channels, kernel and stride.</param>
    /// <param name="bias">Whether the convolution has a bias.</param>
    /// <param name="norm"><c>group_norm</c> (GroupNorm, one group per channel), <c>layer_norm</c> (per-frame LayerNorm) or null.</param>
    public ConvLayerBlock(int inChannels, ConvLayerSpec spec, bool bias, string? norm) : base(nameof(ConvLayerBlock))
    {
        this.spec = spec;
        layer_norm = norm switch
        {
            "group_norm" => InitializedGroupNorm(spec.Channels),
            "layer_norm" => nn.LayerNorm(spec.Channels, NormEps),
            null => null,
            _ => throw new ArgumentException($"Unknown norm '{norm}'; expected group_norm, layer_norm or null.", nameof(norm)),
        };
        conv = nn.Conv1d(inChannels, spec.Channels, spec.Kernel, stride: spec.Stride, bias: bias);
        RegisterComponents();
    }

    // TorchSharp's GroupNorm leaves its affine parameters uninitialised; PyTorch starts them at 1 and 0. Only its
    // parameters are used: the norm itself runs over time in (B, T, C) (MaskedNormalization.TimeGroupNorm).
    static GroupNorm InitializedGroupNorm(int channels)
    {
        var norm = nn.GroupNorm(channels, channels, NormEps, affine: true);
        nn.init.ones_(norm.weight!);
        nn.init.zeros_(norm.bias!);
        return norm;
    }

    /// <summary>
    /// (B, T, C_in) -> (B, T', C_out), and the valid lengths (B,) mapped through the convolution when given.
    /// With lengths, a GroupNorm takes its statistics over each item's valid frames only.
    /// </summary>
    public override (Tensor Output, Tensor? Lengths) forward(Tensor x, Tensor? lengths)
    {
        using var scope = NewDisposeScope();
        Tensor? frames = lengths?.sub(spec.Kernel).div(spec.Stride, RoundingMode.floor).add(1).clamp_min(0);
        if (ReducedPrecision.Applies(x))
        {
            Tensor y;
            if (layer_norm is GroupNorm groupNorm && x.shape[2] == 1 && conv.bias is null)
                y = NormalizedWaveformConvolution.Apply(x, conv.weight!, spec.Stride, frames, groupNorm.weight, groupNorm.bias, NormEps);
            else
            {
                y = StridedConvolution(x, conv.weight!, conv.bias, spec.Stride);
                if (layer_norm is GroupNorm timeNorm)
                    y = MaskedNormalization.TimeGroupNorm(y, frames, timeNorm.weight, timeNorm.bias, NormEps);
                else if (layer_norm is not null)
                    y = layer_norm.call(y);
            }
            return (F.gelu(y).MoveToOuterDisposeScope(), frames?.MoveToOuterDisposeScope());
        }
        // Every step in contiguous (B, C, T), as torchaudio runs it, so that oneDNN picks the reference's kernels.
        var z = conv.call(x.transpose(1, 2));                                           // (B, T, C) view -> (B, C, T)
        if (layer_norm is GroupNorm norm)
            z = frames is null ? norm.call(z)
                : MaskedNormalization.TimeGroupNorm(z.transpose(1, 2), frames, norm.weight, norm.bias, NormEps).transpose(1, 2).contiguous();
        else if (layer_norm is not null)
            z = layer_norm.call(z.transpose(1, 2)).transpose(1, 2).contiguous();
        z = F.gelu(z).transpose(1, 2);                                                  // (B, C, T) -> (B, T, C) view
        return (z.MoveToOuterDisposeScope(), frames?.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Conv1d (no padding or dilation) as matrix products, (B, T, C_in) -> (B, T', C_out). Output frame t reads input
    /// frames tS..tS+K-1, which lie end to end in memory; split into runs of up to S taps, run r of every output frame is
    /// one row of a strided view (row stride S C_in), multiplied by that run's kernel slice; the products add up. With
    /// one input channel the K-sample windows are gathered outright.
    /// </summary>
    /// <param name="x">(B, T, C_in) input.</param>
    /// <param name="weight">(C_out, C_in, K) kernel.</param>
    /// <param name="bias">(C_out,) or null.</param>
    /// <param name="stride">S.</param>
    internal static Tensor StridedConvolution(Tensor x, Tensor weight, Tensor? bias, int stride)
    {
        long batch = x.shape[0], time = x.shape[1], inChannels = x.shape[2], outChannels = weight.shape[0];
        int kernel = (int)weight.shape[2];
        if (inChannels == 1)
        {
            var windows = x.reshape(batch, time).unfold(1, kernel, stride);              // (B, T) -> (B, T', K)
            var taps = weight.view(outChannels, kernel).t();                              // (C_out, 1, K) -> (K, C_out)
            return bias is null ? windows.matmul(taps) : windows.matmul(taps).add_(bias);
        }
        x = x.contiguous();
        long frames = (time - kernel) / stride + 1;
        Tensor? y = null;
        for (int first = 0; first < kernel; first += stride)
        {
            int run = Math.Min(stride, kernel - first);
            var rows = x.as_strided([batch, frames, run * inChannels], [time * inChannels, stride * inChannels, 1],
                x.storage_offset() + first * inChannels);                                  // (B, T', run C_in), a view
            var slice = weight.narrow(2, first, run).permute(2, 1, 0)                      // (C_out, C_in, run) -> (run, C_in, C_out)
                .reshape(run * inChannels, outChannels).expand(batch, -1, -1);             // rows ordered (tap, channel)
            y = y is not null ? BatchedMatrixOps.MultiplyAdd(y, rows, slice)
                : bias is null ? rows.bmm(slice)
                : BatchedMatrixOps.MultiplyAdd(bias.expand(batch, frames, outChannels), rows, slice);
        }
        return y!;
    }
}
