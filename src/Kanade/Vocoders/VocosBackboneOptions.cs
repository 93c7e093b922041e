// Port of Vocos models.py VocosBackbone.__init__ arguments (MIT).
namespace Kanade.Vocoders;

/// <summary><c>init_args</c> of Vocos' <c>VocosBackbone</c> (ConvNeXt blocks).</summary>
public sealed record VocosBackboneOptions
{
    /// <summary>Feature channels in (mel bins).</summary>
    public int InputChannels { get; init; } = 100;
    /// <summary>Hidden dimension.</summary>
    public int Dim { get; init; } = 512;
    /// <summary>Hidden dimension inside each ConvNeXt block.</summary>
    public int IntermediateDim { get; init; } = 1536;
    /// <summary>ConvNeXt blocks.</summary>
    public int NumLayers { get; init; } = 8;
    /// <summary>Initial layer scale; null (or 0, as Vocos reads it) for 1 / num_layers.</summary>
    public double? LayerScaleInitValue { get; init; }
    /// <summary>Conditioning classes of AdaLayerNorm; null for plain LayerNorm (an unconditioned vocoder).</summary>
    public int? AdanormNumEmbeddings { get; init; }
}
