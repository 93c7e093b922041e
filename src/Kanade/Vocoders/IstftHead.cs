// Port of Vocos heads.py ISTFTHead (MIT).
using Kanade.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>
/// Vocos' head: a Linear to n_fft + 2 channels read as log-magnitude and phase of a one-sided spectrum, then an iSTFT.
/// </summary>
public sealed class IstftHead : Module<Tensor, Tensor>
{
    // Vocos' safeguard against excessively large magnitudes.
    const double MaxMagnitude = 1e2;

#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint's tensor names.
    readonly Dense @out;
    readonly VocosIstft istft;
#pragma warning restore IDE1006

    /// <summary>Builds the head from its <c>init_args</c>.</summary>
    public IstftHead(IstftHeadOptions options) : base(nameof(IstftHead))
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Dim < 1)
            throw new ArgumentException($"ISTFTHead: dim must be positive; got {options.Dim}.", nameof(options));
        Options = options;
        @out = new Dense(options.Dim, options.NFft + 2);
        istft = new VocosIstft(options.NFft, options.HopLength, options.NFft, options.Padding);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public IstftHeadOptions Options { get; }

    /// <summary>(B, T, dim) -> (B, samples).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = @out.call(x).transpose(1, 2); // (B, T, n_fft + 2) -> (B, n_fft + 2, T)
        var parts = h.chunk(2, dim: 1);
        var magnitude = parts[0].exp().clamp_max(MaxMagnitude);
        var phase = parts[1];
        var spec = complex(magnitude * phase.cos(), magnitude * phase.sin());
        return istft.call(spec).MoveToOuterDisposeScope();
    }
}
