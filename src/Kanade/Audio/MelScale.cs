// Port of torchaudio transforms/_transforms.py MelScale (BSD-2-Clause), HTK scale without filter normalisation.
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>
/// torchaudio's <c>MelScale</c> (HTK mel scale, <c>norm=None</c>): multiplies a spectrogram by the filterbank held in
/// the persistent buffer <c>fb</c>, (n_freqs, n_mels), as in torchaudio (Vocos checkpoints store it).
/// </summary>
public sealed class MelScale : nn.Module<Tensor, Tensor>
{
    // Not readonly: TorchSharp's to(device) writes the moved buffer back into the field.
    Tensor fb;

    /// <summary>Builds the filterbank with <see cref="MelFilterbank.Htk"/>.</summary>
    /// <param name="nMels">Number of mel filters.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="fMin">Lowest filter edge in Hz.</param>
    /// <param name="fMax">Highest filter edge in Hz; null for sampleRate / 2 (integer division, as torchaudio).</param>
    /// <param name="nStft">Frequency bins of the input, n_fft / 2 + 1.</param>
    public MelScale(int nMels = 128, int sampleRate = 16000, double fMin = 0, double? fMax = null, int nStft = 201)
        : base(nameof(MelScale))
    {
        NMels = nMels;
        fb = MelFilterbank.Htk(nStft, fMin, fMax ?? sampleRate / 2, nMels, sampleRate);
        RegisterComponents();
    }

    /// <summary>Number of mel filters.</summary>
    public int NMels { get; }

    /// <summary>(..., n_freqs, frames) -> (..., n_mels, frames).</summary>
    /// <param name="spectrogram">A magnitude or power spectrogram on the module's device.</param>
    public override Tensor forward(Tensor spectrogram)
    {
        using var scope = NewDisposeScope();
        var result = torch.matmul(spectrogram.transpose(-1, -2), fb).transpose(-1, -2);   // (..., frames, F) @ (F, M) -> (..., M, frames)
        return result.MoveToOuterDisposeScope();
    }
}
