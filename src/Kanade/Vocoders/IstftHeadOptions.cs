// Port of Vocos heads.py ISTFTHead.__init__ arguments (MIT).
namespace Kanade.Vocoders;

/// <summary><c>init_args</c> of Vocos' <c>ISTFTHead</c>.</summary>
public sealed record IstftHeadOptions
{
    /// <summary>Hidden dimension in (the backbone's <c>dim</c>).</summary>
    public int Dim { get; init; } = 512;
    /// <summary>FFT size (and window length).</summary>
    public int NFft { get; init; } = 1024;
    /// <summary>Samples between frames.</summary>
    public int HopLength { get; init; } = 256;
    /// <summary><c>center</c> (torch.istft) or <c>same</c> (Vocos' own overlap-add); Vocos' default is <c>same</c>.</summary>
    public string Padding { get; init; } = "same";
}
