// Port of kanade-tokenizer data/datamodule.py AudioDataModule (MIT): the loaders of each split.
using Kanade.Audio;
using Kanade.Training.Config;
using Kanade.Training.Data;

namespace Kanade.Training.Fit;

/// <summary>Builds the dataset and loader of a <c>data</c> split, decoding with libsndfile and resampling as torchaudio does.</summary>
public static class TrainingData
{
    /// <summary>Reads a span of a file at its own rate: (channels, frames) float32 and the rate.</summary>
    public static AudioSegmentReader FileReader { get; } = (path, offset, count) =>
        (AudioFile.Read(path, offset, count, out int rate), rate);

    /// <summary>torchaudio's <c>Resample</c> defaults (sinc, Hann window, width 6, rolloff 0.99).</summary>
    public static WaveformResampler Resampler { get; } = (waveform, from, to) => Kanade.Audio.Resampler.Resample(waveform, from, to);

    /// <summary>
    /// The loader of one split. Relative manifest and audio-root paths are taken relative to <paramref name="baseDirectory"/>
    /// (the working directory when null), as the reference's paths are relative to where it runs.
    /// </summary>
    /// <param name="split">The split's config.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="training">Shuffle and drop_last apply (the train split).</param>
    /// <param name="baseDirectory">Folder that relative paths start from.</param>
    /// <exception cref="FileNotFoundException">The manifest does not exist.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed.</exception>
    public static AudioBatchLoader Loader(AudioDataConfig split, int seed, bool training, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        string Resolve(string path) => baseDirectory is null || Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path);
        var manifest = AudioManifest.Read(Resolve(split.CsvPath));
        var options = split.ToDatasetOptions() with { AudioRoot = Resolve(split.AudioRoot) };
        var dataset = new ChunkedAudioDataset(manifest, options, FileReader, Resampler);
        return new AudioBatchLoader(dataset, split.ToLoaderOptions(seed, training));
    }
}
