// Port of Vocos spectral_ops.py ISTFT (MIT): the module that holds the window (a checkpoint buffer) and the padding mode.
using Kanade.Audio;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>Inverse STFT with a Hann window buffer and <c>center</c> or <c>same</c> padding (see <see cref="Istft"/>).</summary>
public sealed class VocosIstft : Module<Tensor, Tensor>
{
    readonly int nFft;
    readonly int hopLength;
    readonly bool center;

#pragma warning disable IDE1006 // PyTorch attribute name: `window` is a persistent buffer in Vocos checkpoints.
    // Not readonly: TorchSharp's to(device/dtype) writes the moved buffer back into the field.
    Tensor window;
#pragma warning restore IDE1006

    /// <summary>Creates the transform; <paramref name="padding"/> is <c>center</c> or <c>same</c>.</summary>
    public VocosIstft(int nFft, int hopLength, int winLength, string padding = "same") : base(nameof(VocosIstft))
    {
        if (padding is not ("center" or "same"))
            throw new ArgumentException($"Padding must be 'center' or 'same'; got '{padding}'.", nameof(padding));
        if (nFft < 2 || hopLength < 1 || winLength < hopLength || winLength > nFft)
            throw new ArgumentException(
                $"iSTFT needs n_fft >= 2, hop_length >= 1 and hop_length <= win_length <= n_fft; got n_fft {nFft}, hop_length {hopLength}, win_length {winLength}.");
        if (padding == "same" && winLength != nFft)
            throw new ArgumentException($"'same' padding needs win_length == n_fft; got {winLength} and {nFft}.", nameof(winLength));
        this.nFft = nFft;
        this.hopLength = hopLength;
        center = padding == "center";
        window = hann_window(winLength);
        RegisterComponents();
    }

    /// <summary>(B, n_fft/2+1, frames) complex -> (B, samples): hop * (frames - 1) for <c>center</c>, hop * frames for <c>same</c>.</summary>
    public override Tensor forward(Tensor spec) =>
        center ? Istft.Center(spec, nFft, hopLength, window) : Istft.Same(spec, nFft, hopLength, window);
}
