// One row's audio: a whole file (AudioFile.Load) or a chunk of it, mono, at the wanted rate, peak-normalised.
using Kanade.Audio;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.MLNet.Audio;

/// <summary>Loads the waveform of a path, or of a chunk of it, as <see cref="AudioFile.Load"/> does for a whole file.</summary>
internal static class AudioReader
{
    /// <summary>
    /// Whole file (offset 0, frames negative): <see cref="AudioFile.Load"/>. A chunk: frames
    /// [offset, offset + frames) at the file's rate, averaged over channels, resampled to <paramref name="sampleRate"/>
    /// and divided by its own max|x| + 1e-8.
    /// </summary>
    public static float[] Load(string path, int sampleRate, long offset, long frames)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor waveform;
        if (offset == 0 && frames < 0)
            waveform = AudioFile.Load(path, sampleRate);
        else
        {
            if (offset < 0) throw new AudioFileException(path, $"the chunk offset {offset} is negative.");
            int fileRate = AudioFile.Info(path).SampleRate;
            var samples = AudioFile.Read(path, offset, Math.Max(frames, -1));                     // (channels, frames); any negative count: to the end
            if (samples.shape[1] == 0) throw new AudioFileException(path, $"the chunk at frame {offset} holds no frames.");
            var mono = samples.mean([0], keepdim: true);                                        // (C, T) -> (1, T)
            var resampled = fileRate == sampleRate ? mono : Resampler.Resample(mono, fileRate, sampleRate);
            waveform = (resampled / (resampled.abs().max() + 1e-8)).squeeze(0);                   // (1, T') -> (T',)
        }
        return waveform.to(float32).cpu().data<float>().ToArray();
    }
}
