// The two audio operations the dataset needs, as delegates so decoding and resampling can be plugged in.
using static TorchSharp.torch;

namespace Kanade.Training.Data;

/// <summary>
/// Reads <paramref name="frameCount"/> frames from <paramref name="frameOffset"/> of an audio file (fewer at the
/// end of the file). Returns float32 samples (channels, frames) and the file's sample rate.
/// </summary>
public delegate (Tensor Samples, int SampleRate) AudioSegmentReader(string path, long frameOffset, long frameCount);

/// <summary>Resamples float32 (channels, samples) from <paramref name="fromRate"/> to <paramref name="toRate"/> Hz.</summary>
public delegate Tensor WaveformResampler(Tensor waveform, int fromRate, int toRate);
