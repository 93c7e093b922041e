// The KanadeTrain step of mlContext.Transforms, as Microsoft.ML.TorchSharp adds its trainers to their catalogs.
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// <c>mlContext.Transforms.KanadeTrain</c>: trains or fine-tunes a Kanade tokenizer on a manifest and yields the encoder.
/// </summary>
/// <example>
/// <code>
/// var ml = new MLContext(seed: 1);
/// IDataView manifest = KanadeManifest.Load(ml, "datasets/espeak/train.csv");
/// var pipeline = ml.Transforms.LoadAudio("Waveform", "Path", sampleRate: 24000, audioRoot: "datasets/espeak")
///     .Append(ml.Transforms.KanadeTrain(new KanadeTrainerOptions
///     {
///         ConfigPath = "config/train/12hz_pretrain.yaml", ConfigOverrides = ["--trainer.max_steps", "1000"],
///         SslWeightsPath = "weights/wavlm_base_plus.pth", AudioRoot = "datasets/espeak",
///     }));
/// var fitted = pipeline.Fit(manifest);                // trains, then encodes with the trained model
/// IDataView tokens = fitted.Transform(manifest);
/// </code>
/// </example>
public static class KanadeTrainingCatalog
{
    /// <summary>Trains the model of a training YAML on the audio files a manifest names and returns its encoder.</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="configPath">Training YAML (<c>config/train/*.yaml</c> or any in that format); its data section is replaced by the input.</param>
    /// <param name="sslWeightsPath">WavLM weights for the frozen SSL model.</param>
    /// <param name="pathColumnName">Text column of audio file paths (relative to <paramref name="audioRoot"/>).</param>
    /// <param name="audioRoot">Folder relative paths are resolved against; null for the current directory.</param>
    /// <param name="inputColumnName">Vector&lt;Single&gt; waveform column the fitted encoder reads (LoadAudio's output).</param>
    public static KanadeTrainingEstimator KanadeTrain(this TransformsCatalog catalog, string configPath, string? sslWeightsPath = null,
        string pathColumnName = KanadeManifest.PathColumn, string? audioRoot = null, string inputColumnName = KanadeColumns.Waveform)
        => KanadeTrain(catalog, new KanadeTrainerOptions
        {
            ConfigPath = configPath, SslWeightsPath = sslWeightsPath, PathColumnName = pathColumnName, AudioRoot = audioRoot,
            Encoding = new KanadeEncodingOptions { InputColumnName = inputColumnName },
        });

    /// <summary>Trains or fine-tunes with every option: overrides, starting weights, validation manifest, device, output folder, encoder columns.</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="options">The trainer's options.</param>
    public static KanadeTrainingEstimator KanadeTrain(this TransformsCatalog catalog, KanadeTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KanadeTrainingEstimator(options);
    }
}
