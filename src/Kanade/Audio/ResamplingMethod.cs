// Port of torchaudio's resampling_method choices (functional/functional.py, BSD-2-Clause).
namespace Kanade.Audio;

/// <summary>The window that shapes the sinc interpolation kernel (torchaudio's <c>resampling_method</c>).</summary>
public enum ResamplingMethod
{
    /// <summary><c>sinc_interp_hann</c>: a squared-cosine (Hann) window; torchaudio's default.</summary>
    SincInterpHann,

    /// <summary><c>sinc_interp_kaiser</c>: a Kaiser window with shape <c>beta</c> (default 14.769656459379492).</summary>
    SincInterpKaiser,
}
