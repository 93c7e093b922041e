// The vocoder role: what KanadeModel's mel output goes into (Vocos and HiFT implement it).
using static TorchSharp.torch;

namespace Kanade;

/// <summary>A neural vocoder: mel spectrogram in, waveform out (Vocos, HiFT).</summary>
public interface IVocoder : IDisposable
{
    /// <summary>Mel spectrogram (B, <see cref="MelBins"/>, frames) -> waveform (B, samples) at <see cref="SampleRate"/>.</summary>
    Tensor Vocode(Tensor mel);

    /// <summary>Sample rate of the waveforms it produces, in Hz.</summary>
    int SampleRate { get; }

    /// <summary>Number of mel bins it expects.</summary>
    int MelBins { get; }
}
