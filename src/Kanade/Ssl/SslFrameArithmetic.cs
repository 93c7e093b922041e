// Port of kanade-tokenizer module/ssl_extractor.py length properties (MIT) and torchaudio ConvLayerBlock's length rule (BSD-2-Clause).
namespace Kanade.Ssl;

/// <summary>One convolution of the SSL feature extractor: output channels, kernel size and stride.</summary>
/// <param name="Channels">Output channels.</param>
/// <param name="Kernel">Kernel size in input samples (or frames of the previous layer).</param>
/// <param name="Stride">Stride.</param>
public readonly record struct ConvLayerSpec(int Channels, int Kernel, int Stride);

/// <summary>
/// Sample/frame arithmetic of the convolutional feature extractor: hop size, the frames an input of a given
/// length produces, and the shortest input that produces a given number of frames.
/// </summary>
public static class SslFrameArithmetic
{
    /// <summary>torchaudio's default extractor: (512, 10, 5), then (512, 3, 2) four times, then (512, 2, 2) twice.</summary>
    public static IReadOnlyList<ConvLayerSpec> DefaultConvLayers { get; } =
    [
        new(512, 10, 5), new(512, 3, 2), new(512, 3, 2), new(512, 3, 2), new(512, 3, 2), new(512, 2, 2), new(512, 2, 2),
    ];

    /// <summary>The convolutions of <paramref name="architecture"/> (its own list, or <see cref="DefaultConvLayers"/> when null).</summary>
    /// <exception cref="ArgumentException">An entry is not three positive integers (channels, kernel, stride).</exception>
    public static IReadOnlyList<ConvLayerSpec> ConvLayers(Wav2Vec2Architecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (architecture.ExtractorConvLayerConfig is null) return DefaultConvLayers;
        var layers = new List<ConvLayerSpec>();
        for (int i = 0; i < architecture.ExtractorConvLayerConfig.Count; i++)
        {
            var entry = architecture.ExtractorConvLayerConfig[i];
            if (entry is null || entry.Count != 3 || entry.Any(v => v <= 0))
                throw new ArgumentException(
                    $"extractor_conv_layer_config[{i}] is [{(entry is null ? "" : string.Join(", ", entry))}]; " +
                    "expected three positive integers [channels, kernel, stride].", nameof(architecture));
            layers.Add(new ConvLayerSpec(entry[0], entry[1], entry[2]));
        }
        if (layers.Count == 0)
            throw new ArgumentException("extractor_conv_layer_config is empty; expected at least one [channels, kernel, stride].",
                nameof(architecture));
        return layers;
    }

    /// <summary>Input samples per output frame: the product of the strides (320 for the default extractor).</summary>
    public static int HopSize(IReadOnlyList<ConvLayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        int hop = 1;
        foreach (var layer in layers) hop *= layer.Stride;
        return hop;
    }

    /// <summary>
    /// The fewest input samples that give <paramref name="desiredFrames"/> frames: each convolution, last first,
    /// needs <c>(frames - 1) * stride + kernel</c> inputs (400 + 320 (n - 1) for the default extractor).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="desiredFrames"/> is below 1.</exception>
    public static long MinimumInputLength(IReadOnlyList<ConvLayerSpec> layers, long desiredFrames)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (desiredFrames < 1)
            throw new ArgumentOutOfRangeException(nameof(desiredFrames), desiredFrames, "At least one output frame must be asked for.");
        long length = desiredFrames;
        for (int i = layers.Count - 1; i >= 0; i--)
            length = (length - 1) * layers[i].Stride + layers[i].Kernel;
        return length;
    }

    /// <summary>
    /// Frames produced from <paramref name="inputLength"/> samples: per convolution
    /// <c>floor((length - kernel) / stride) + 1</c>, never below 0 (torchaudio's valid-length rule).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputLength"/> is negative.</exception>
    public static long OutputFrames(IReadOnlyList<ConvLayerSpec> layers, long inputLength)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        long length = inputLength;
        foreach (var layer in layers)
        {
            // Floor division as torch.div(rounding_mode="floor"); C# division truncates toward zero.
            long quotient = Math.DivRem(length - layer.Kernel, layer.Stride, out long remainder);
            if (remainder < 0) quotient--;
            length = Math.Max(0, quotient + 1);
        }
        return length;
    }
}
