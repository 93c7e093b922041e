// Port of kanade-tokenizer module/discriminator.py SpectrogramDiscriminator.__init__ arguments (MIT).
namespace Kanade.Training.Gan;

/// <summary><c>init_args</c> of a reference <c>SpectrogramDiscriminator</c>; defaults are the reference's.</summary>
public sealed record SpectrogramDiscriminatorOptions
{
    /// <summary>Number of mel bins of the spectrograms it judges (the model's <c>n_mels</c>).</summary>
    public int FrequencyBins { get; init; }
    /// <summary>Channels of every convolution but the last.</summary>
    public int Channels { get; init; } = 32;
    /// <summary>(time, frequency) kernel of every convolution.</summary>
    public IReadOnlyList<int> KernelSize { get; init; } = [3, 3];
    /// <summary>Time-axis dilation of each middle convolution of a band stack (one convolution per entry).</summary>
    public IReadOnlyList<int> Dilation { get; init; } = [1, 2, 4];
    /// <summary>Frequency bands as (start, end) fractions of <see cref="FrequencyBins"/>; one stack per band.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Bands { get; init; } =
        [[0.0, 0.2], [0.2, 0.4], [0.4, 0.6], [0.6, 0.8], [0.8, 1.0]];
    /// <summary>Average-pool the output (kernel 4, stride 2, padding 1, padding not counted).</summary>
    public bool UseDownsample { get; init; } = true;
}
