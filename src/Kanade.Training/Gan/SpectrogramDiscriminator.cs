// Port of kanade-tokenizer module/discriminator.py (MIT), itself adapted from Vocos' discriminators.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Training.Gan;

/// <summary>
/// Multi-band spectrogram discriminator of GAN post-training: the mel spectrogram is split into frequency
/// bands, each band runs through its own stack of weight-normalised 2-D convolutions (time dilations in the
/// middle), the bands are joined again along frequency and a last convolution (plus average pooling) gives
/// the real/fake map. Every convolution output after its leaky ReLU is an intermediate for feature matching.
/// </summary>
public sealed class SpectrogramDiscriminator : Module<Tensor, (Tensor Output, IReadOnlyList<Tensor> Intermediates)>
{
    const double LeakySlope = 0.1;

    readonly (int Start, int End)[] bandBins;
    readonly bool useDownsample;

#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint format.
    readonly ModuleList<ModuleList<WeightNormConv2d>> stacks;
    readonly WeightNormConv2d conv_post;
#pragma warning restore IDE1006

    /// <summary>Builds the discriminator with freshly initialised weights.</summary>
    /// <exception cref="ArgumentException">An option is out of range (named in the message).</exception>
    public SpectrogramDiscriminator(SpectrogramDiscriminatorOptions options) : base(nameof(SpectrogramDiscriminator))
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        if (options.FrequencyBins < 1)
            throw new ArgumentException($"discriminator frequency_bins must be positive, got {options.FrequencyBins}.", nameof(options));
        if (options.Channels < 1)
            throw new ArgumentException($"discriminator channels must be positive, got {options.Channels}.", nameof(options));
        if (options.KernelSize.Count != 2 || options.KernelSize.Any(k => k < 1))
            throw new ArgumentException(
                $"discriminator kernel_size must be two positive integers [time, frequency], got [{string.Join(", ", options.KernelSize)}].", nameof(options));
        if (options.Dilation.Any(d => d < 1))
            throw new ArgumentException($"discriminator dilation entries must be positive, got [{string.Join(", ", options.Dilation)}].", nameof(options));
        if (options.Bands.Count == 0)
            throw new ArgumentException("discriminator bands must name at least one band.", nameof(options));
        bandBins = [.. options.Bands.Select((band, i) => BandBins(band, i, options.FrequencyBins))];
        useDownsample = options.UseDownsample;

        var kernel = ((long)options.KernelSize[0], (long)options.KernelSize[1]);
        var samePadding = SamePadding(kernel, (1, 1));
        stacks = new ModuleList<ModuleList<WeightNormConv2d>>();
        foreach (var _ in bandBins)
        {
            var stack = new ModuleList<WeightNormConv2d>
            {
                new WeightNormConv2d(1, options.Channels, kernel, samePadding, (1, 1)),
            };
            foreach (int d in options.Dilation)
                stack.Add(new WeightNormConv2d(options.Channels, options.Channels, kernel, SamePadding(kernel, (d, 1)), (d, 1)));
            stack.Add(new WeightNormConv2d(options.Channels, options.Channels, kernel, samePadding, (1, 1)));
            stacks.Add(stack);
        }
        conv_post = new WeightNormConv2d(options.Channels, 1, kernel, samePadding, (1, 1));
        RegisterComponents();
    }

    /// <summary>The options it was built from.</summary>
    public SpectrogramDiscriminatorOptions Options { get; }

    /// <summary>Number of intermediate feature maps a forward returns (bands x convolutions per band).</summary>
    public int IntermediateCount => bandBins.Length * (Options.Dilation.Count + 2);

    /// <summary>
    /// Judges mel spectrograms (B, F, T) or (B, 1, F, T). Returns the output map (B, 1, T', F') (T' = T/2 and
    /// F' = F/2 with down-sampling) and the intermediates (B, channels, T, band width), band by band.
    /// </summary>
    public override (Tensor Output, IReadOnlyList<Tensor> Intermediates) forward(Tensor mel)
    {
        using var scope = NewDisposeScope();
        var x = mel.dim() == 3 ? mel.unsqueeze(1) : mel;    // (B, F, T) -> (B, 1, F, T)
        if (x.dim() != 4)
            throw new ArgumentException($"Discriminator input must be (B, F, T) or (B, 1, F, T), got shape [{string.Join(", ", mel.shape)}].", nameof(mel));
        if (x.shape[2] != Options.FrequencyBins)
            throw new ArgumentException(
                $"Discriminator input has {x.shape[2]} frequency bins, expected frequency_bins = {Options.FrequencyBins}.", nameof(mel));
        x = x.transpose(2, 3);                               // (B, C, F, T) -> (B, C, T, F)

        var intermediates = new List<Tensor>(IntermediateCount);
        var bandOutputs = new List<Tensor>(bandBins.Length);
        for (int b = 0; b < bandBins.Length; b++)
        {
            var h = x[TensorIndex.Ellipsis, TensorIndex.Slice(bandBins[b].Start, bandBins[b].End)];
            foreach (var layer in stacks[b])
            {
                h = nn.functional.leaky_relu(layer.call(h), LeakySlope);
                intermediates.Add(h);
            }
            bandOutputs.Add(h);
        }
        var output = conv_post.call(cat(bandOutputs, dim: -1));     // bands joined along frequency
        if (useDownsample)
            output = nn.functional.avg_pool2d(output, [4, 4], stride: [2, 2], padding: [1, 1], count_include_pad: false);

        output.MoveToOuterDisposeScope();
        foreach (var t in intermediates) t.MoveToOuterDisposeScope();
        return (output, intermediates);
    }

    // Python's int(fraction * bins) truncates; the same double product truncated gives the same bin.
    static (int Start, int End) BandBins(IReadOnlyList<double> band, int index, int bins)
    {
        if (band.Count != 2 || band[0] < 0 || band[1] > 1 || band[0] >= band[1])
            throw new ArgumentException(
                $"discriminator bands[{index}] must be [start, end] with 0 <= start < end <= 1, got [{string.Join(", ", band)}].");
        var bounds = ((int)(band[0] * bins), (int)(band[1] * bins));
        if (bounds.Item1 >= bounds.Item2)
            throw new ArgumentException($"discriminator bands[{index}] = [{band[0]}, {band[1]}] covers no bin of {bins}.");
        return bounds;
    }

    // Padding that keeps the size for an odd kernel: ((k - 1) * dilation) / 2 per axis.
    static (long, long) SamePadding((long, long) kernel, (long, long) dilation) =>
        ((kernel.Item1 - 1) * dilation.Item1 / 2, (kernel.Item2 - 1) * dilation.Item2 / 2);
}
