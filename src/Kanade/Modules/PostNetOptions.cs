// Port of kanade-tokenizer module/postnet.py PostNet.__init__ arguments (MIT).
namespace Kanade.Modules;

/// <summary><c>init_args</c> of a reference <c>PostNet</c>.</summary>
public sealed record PostNetOptions
{
    /// <summary>Mel bins.</summary>
    public int InputChannels { get; init; } = 100;
    /// <summary>Hidden channels.</summary>
    public int Channels { get; init; } = 512;
    /// <summary>Odd convolution kernel.</summary>
    public int KernelSize { get; init; } = 5;
    /// <summary>Convolution layers (at least 2).</summary>
    public int NumLayers { get; init; } = 5;
    /// <summary>Dropout, training only.</summary>
    public double Dropout { get; init; } = 0.5;
    /// <summary>LayerNorm over channels (true) or BatchNorm1d (false).</summary>
    public bool UseLayerNorm { get; init; }
}
