// Port of kanade-tokenizer module/hift.py SourceModuleHnNSF2 (MIT; harmonic-plus-noise neural source filter).
using Kanade.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>HiFT's source module: the harmonic sines of <see cref="SineGen2"/> merged into one excitation by a Linear and tanh.</summary>
public sealed class SourceModuleHnNsf2 : Module<Tensor, Generator?, Tensor>
{
#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint's tensor names.
    readonly SineGen2 l_sin_gen;
    readonly Dense l_linear;
#pragma warning restore IDE1006

    /// <summary>Creates the module; <paramref name="upsampleScale"/> is the number of samples per F0 frame.</summary>
    public SourceModuleHnNsf2(int samplingRate, int upsampleScale, int harmonicNum = 0, double sineAmp = 0.1,
        double addNoiseStd = 0.003, double voicedThreshold = 0) : base(nameof(SourceModuleHnNsf2))
    {
        l_sin_gen = new SineGen2(samplingRate, upsampleScale, harmonicNum, sineAmp, addNoiseStd, voicedThreshold);
        l_linear = new Dense(harmonicNum + 1, 1);
        RegisterComponents();
    }

    /// <summary>
    /// F0 (B, L, 1) in Hz at the output rate -> excitation (B, L, 1) in (-1, 1). The reference also returns a noise branch
    /// that HiFT discards; it is not drawn here.
    /// </summary>
    public override Tensor forward(Tensor f0, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var sines = l_sin_gen.call(f0, generator);
        return l_linear.call(sines).tanh().MoveToOuterDisposeScope();
    }
}
