// Port of kanade-tokenizer module/global_encoder.py GlobalEncoder.__init__ arguments (MIT).
namespace Kanade.Modules;

/// <summary><c>init_args</c> of a reference <c>GlobalEncoder</c>.</summary>
public sealed record GlobalEncoderOptions
{
    /// <summary>SSL feature width.</summary>
    public int InputChannels { get; init; }
    /// <summary>Global embedding width.</summary>
    public int OutputChannels { get; init; }
    /// <summary>ConvNeXt width.</summary>
    public int Dim { get; init; }
    /// <summary>ConvNeXt hidden width.</summary>
    public int IntermediateDim { get; init; }
    /// <summary>ConvNeXt blocks.</summary>
    public int NumLayers { get; init; }
    /// <summary>Skip the input Conv1d embedding.</summary>
    public bool SkipEmbed { get; init; }
    /// <summary>Hidden width of the attentive pooling.</summary>
    public int AttentionChannels { get; init; } = 128;
    /// <summary>Attentive statistics pooling (true) or average pooling (false).</summary>
    public bool UseAttnPool { get; init; } = true;
}
