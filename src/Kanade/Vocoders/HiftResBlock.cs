// Port of kanade-tokenizer module/hift.py ResBlock (MIT; HiFi-GAN / BigVGAN residual block with Snake).
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>
/// HiFT's residual block on (B, C, T): per dilation, Snake -> dilated Conv1d -> Snake -> Conv1d, added to the input.
/// The convolutions carry weight norm in checkpoints; here they hold the folded weights.
/// </summary>
public sealed class HiftResBlock : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint's tensor names.
    readonly ModuleList<Conv1d> convs1;
    readonly ModuleList<Conv1d> convs2;
    readonly ModuleList<Snake> activations1;
    readonly ModuleList<Snake> activations2;
#pragma warning restore IDE1006

    /// <summary>Creates the block: one pair of convolutions per entry of <paramref name="dilations"/>.</summary>
    public HiftResBlock(int channels, int kernelSize, IReadOnlyList<int> dilations) : base(nameof(HiftResBlock))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentNullException.ThrowIfNull(dilations);
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentException($"HiFT ResBlock kernel size must be odd and positive (same-length output); got {kernelSize}.", nameof(kernelSize));
        if (dilations.Count == 0 || dilations.Any(d => d < 1))
            throw new ArgumentException($"HiFT ResBlock dilations must be a non-empty list of positive integers; got [{string.Join(", ", dilations)}].", nameof(dilations));
        convs1 = new ModuleList<Conv1d>(dilations
            .Select(d => Conv1d(channels, channels, kernelSize, dilation: d, padding: Padding(kernelSize, d))).ToArray());
        convs2 = new ModuleList<Conv1d>(dilations
            .Select(_ => Conv1d(channels, channels, kernelSize, padding: Padding(kernelSize, 1))).ToArray());
        activations1 = new ModuleList<Snake>(dilations.Select(_ => new Snake(channels)).ToArray());
        activations2 = new ModuleList<Snake>(dilations.Select(_ => new Snake(channels)).ToArray());
        RegisterComponents();
    }

    /// <summary>Names of the convolutions stored with weight norm in checkpoints, relative to this block.</summary>
    internal IEnumerable<string> WeightNormedLayers =>
        Enumerable.Range(0, convs1.Count).SelectMany(i => new[] { $"convs1.{i}", $"convs2.{i}" });

    /// <summary>(B, C, T) -> (B, C, T).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        for (int i = 0; i < convs1.Count; i++)
        {
            var h = convs1[i].call(activations1[i].call(x));
            h = convs2[i].call(activations2[i].call(h));
            x = h + x;
        }
        return x.MoveToOuterDisposeScope();
    }

    static long Padding(int kernelSize, int dilation) => (kernelSize * dilation - dilation) / 2;
}
