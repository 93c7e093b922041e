// Port of kanade-tokenizer module/audio_feature.py MelSpectrogramFeature (MIT), itself after Vocos and BigVGAN.
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Audio;

/// <summary>
/// The log-mel spectrogram Kanade is trained to reconstruct, in one of two styles:
/// <list type="bullet">
/// <item>Vocos style (default): torchaudio <c>MelSpectrogram</c> with power 1, HTK mel scale, no filter norm,
/// <c>center</c> (reflect padding by n_fft / 2) or <c>same</c> (reflect padding by (n_fft - hop) / 2, uncentred);
/// log with values clipped at 1e-7. Buffers <c>mel_spec.spectrogram.window</c> and <c>mel_spec.mel_scale.fb</c>,
/// the names in Vocos checkpoints, so this module can serve as a Vocos <c>feature_extractor</c>.</item>
/// <item>BigVGAN style: librosa's Slaney mel filterbank with area norm, reflect padding by (n_fft - hop) / 2,
/// magnitude sqrt(re^2 + im^2 + 1e-9), log of values clamped at 1e-5. Buffers <c>mel_basis</c> and <c>hann_window</c>.</item>
/// </list>
/// <c>fMin</c>/<c>fMax</c> are honoured in both styles (the reference passes them to torchaudio under the wrong names).
/// </summary>
public sealed class MelSpectrogramFeature : nn.Module<Tensor, Tensor>
{
    /// <summary>Padding mode <c>center</c>: frame t centred on sample t * hop.</summary>
    public const string CenterPadding = "center";

    /// <summary>Padding mode <c>same</c>: (n_fft - hop) / 2 reflected samples on each side, so frames = samples / hop.</summary>
    public const string SamePadding = "same";

#pragma warning disable IDE1006 // The reference's attribute names: they are the checkpoint keys.
    readonly MelSpectrogram? mel_spec;
    // Not readonly: TorchSharp's to(device) writes moved buffers back into these fields.
    Tensor? mel_basis;
    Tensor? hann_window;
#pragma warning restore IDE1006

    /// <summary>Builds the feature extractor.</summary>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="nFft">FFT (and window) size.</param>
    /// <param name="hopLength">Samples between frames.</param>
    /// <param name="nMels">Number of mel bins.</param>
    /// <param name="padding"><c>center</c> or <c>same</c> (Vocos style; the BigVGAN style always pads (n_fft - hop) / 2).</param>
    /// <param name="fMin">Lowest mel filter edge in Hz.</param>
    /// <param name="fMax">Highest mel filter edge in Hz; null for sampleRate / 2.</param>
    /// <param name="bigvganStyleMel">BigVGAN style instead of Vocos style.</param>
    public MelSpectrogramFeature(int sampleRate = 24000, int nFft = 1024, int hopLength = 256, int nMels = 100,
        string padding = CenterPadding, double fMin = 0, double? fMax = null, bool bigvganStyleMel = false)
        : base(nameof(MelSpectrogramFeature))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nFft);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nMels);
        if (padding is not (CenterPadding or SamePadding))
            throw new ArgumentException($"padding must be '{CenterPadding}' or '{SamePadding}'; got '{padding}'.", nameof(padding));
        if (hopLength > nFft)
            throw new ArgumentOutOfRangeException(nameof(hopLength), hopLength, $"hopLength must not exceed nFft ({nFft}).");

        SampleRate = sampleRate;
        NFft = nFft;
        HopLength = hopLength;
        NMels = nMels;
        Padding = padding;
        BigvganStyleMel = bigvganStyleMel;
        if (bigvganStyleMel)
        {
            mel_basis = MelFilterbank.Slaney(sampleRate, nFft, nMels, fMin, fMax);                    // (n_mels, n_fft / 2 + 1)
            hann_window = torch.hann_window(nFft, periodic: true, dtype: float32);
        }
        else
        {
            mel_spec = new MelSpectrogram(sampleRate, nFft, hopLength: hopLength, fMin: fMin, fMax: fMax, nMels: nMels,
                power: 1, center: padding == CenterPadding);
        }
        RegisterComponents();
    }

    /// <summary>The feature extractor a Kanade model config describes (<c>sample_rate</c>, <c>n_fft</c>, <c>hop_length</c>,
    /// <c>n_mels</c>, <c>padding</c>, <c>mel_fmin</c>, <c>mel_fmax</c>, <c>bigvgan_style_mel</c>).</summary>
    /// <param name="config">The model config.</param>
    public static MelSpectrogramFeature FromConfig(KanadeModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new MelSpectrogramFeature(config.SampleRate, config.NFft, config.HopLength, config.NMels, config.Padding,
            config.MelFmin, config.MelFmax, config.BigvganStyleMel);
    }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>FFT and window size.</summary>
    public int NFft { get; }

    /// <summary>Samples between frames.</summary>
    public int HopLength { get; }

    /// <summary>Number of mel bins.</summary>
    public int NMels { get; }

    /// <summary><c>center</c> or <c>same</c>.</summary>
    public string Padding { get; }

    /// <summary>True for the BigVGAN style, false for the Vocos style.</summary>
    public bool BigvganStyleMel { get; }

    /// <summary>
    /// Log-mel spectrogram of (B, samples) -> (B, n_mels, frames); (samples,) is treated as a batch of one, and further
    /// leading dimensions are kept. Frames: samples / hop + 1 (Vocos <c>center</c>), (samples - hop) / hop + 1 (Vocos
    /// <c>same</c>), samples / hop (BigVGAN), integer division.
    /// </summary>
    /// <param name="audio">Real samples on the module's device.</param>
    public override Tensor forward(Tensor audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.dim() < 1) throw new ArgumentException("audio must be (B, samples) or (samples,); got a scalar.", nameof(audio));
        using var scope = NewDisposeScope();
        var batch = audio.dim() == 1 ? audio.unsqueeze(0) : audio;                                         // (T,) -> (1, T)
        var result = BigvganStyleMel ? BigvganMel(batch) : VocosMel(batch);
        return result.MoveToOuterDisposeScope();
    }

    Tensor VocosMel(Tensor audio)
    {
        if (Padding == SamePadding)
        {
            int pad = (NFft - HopLength) / 2;
            audio = ReflectPad(audio, pad);
        }
        var mel = mel_spec!.call(audio);                                                                   // (..., n_mels, frames)
        return torch.log(torch.clip(mel, min: 1e-7));
    }

    Tensor BigvganMel(Tensor audio)
    {
        int pad = (NFft - HopLength) / 2;
        audio = ReflectPad(audio, pad);
        var spectrum = Stft.Complex(audio, NFft, HopLength, hann_window!, NFft, center: false);          // (..., F, frames)
        var magnitude = Stft.StableMagnitude(spectrum);
        var mel = torch.matmul(mel_basis!, magnitude);                                                     // (M, F) @ (..., F, frames)
        return torch.log(torch.clamp(mel, min: 1e-5));
    }

    /// <summary>Reflect padding on the last dimension of (..., T), which torch only offers for 2-D and 3-D inputs.</summary>
    static Tensor ReflectPad(Tensor audio, int pad)
    {
        if (pad == 0) return audio;
        long length = audio.shape[^1];
        if (length <= pad)
            throw new ArgumentException($"audio has {length} samples; reflect padding by {pad} needs more than {pad}.", nameof(audio));
        long[] shape = audio.shape;
        var flat = audio.reshape(-1, length);                                                              // (..., T) -> (N, T)
        var padded = nn.functional.pad(flat, [pad, pad], PaddingModes.Reflect);
        return padded.reshape([.. shape[..^1], length + 2 * pad]);                                         // (N, T') -> (..., T')
    }
}
