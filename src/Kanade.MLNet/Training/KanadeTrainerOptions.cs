// Options of the KanadeTrain trainer, in the style of Microsoft.ML.TorchSharp's trainer options.
using Kanade.Training.Pipeline;
using static TorchSharp.torch;

namespace Kanade.MLNet;

/// <summary>
/// Options of <see cref="KanadeTrainingCatalog.KanadeTrain(Microsoft.ML.TransformsCatalog, KanadeTrainerOptions)"/>: the
/// training YAML and what replaces its data section (the manifest given to <c>Fit</c>), and the encoder the fitted
/// transformer becomes.
/// </summary>
public sealed class KanadeTrainerOptions
{
    /// <summary>The training YAML (the reference's format, <c>config/train/*.yaml</c>); required. Its data section may be absent.</summary>
    public string ConfigPath = "";

    /// <summary>jsonargparse-style overrides of the YAML (<c>--trainer.max_steps</c>, <c>1000</c>, ...), as <c>kanade fit</c> takes them.</summary>
    public string[] ConfigOverrides = [];

    /// <summary>Weights to start from (fine-tuning): any checkpoint <c>pipeline_config.ckpt_path</c> accepts; null keeps the YAML's.</summary>
    public string? StartFrom;

    /// <summary>WavLM weights for the frozen SSL model, unless <see cref="StartFrom"/> holds them.</summary>
    public string? SslWeightsPath;

    /// <summary>Input of <c>Fit</c>: a Text column of audio file paths (KanadeManifest's <c>Path</c>).</summary>
    public string PathColumnName = KanadeManifest.PathColumn;

    /// <summary>Optional Text column of recording ids (default <c>AudioId</c>; row numbers when absent).</summary>
    public string AudioIdColumnName = KanadeManifest.AudioIdColumn;

    /// <summary>Optional Int64 column of frame counts and Int32 column of sample rates (read from the files when absent).</summary>
    public string LengthColumnName = KanadeManifest.LengthColumn;

    /// <summary>See <see cref="LengthColumnName"/>.</summary>
    public string SampleRateColumnName = KanadeManifest.SampleRateColumn;

    /// <summary>Folder relative paths are resolved against; null for the current directory.</summary>
    public string? AudioRoot;

    /// <summary>Manifest of the validation split (<c>.csv</c> or <c>.parquet</c>, relative to <see cref="AudioRoot"/>'s files); null validates on the training rows.</summary>
    public string? ValidationManifestPath;

    /// <summary>Items per training batch; null keeps the YAML's (or 8 without a data section).</summary>
    public int? BatchSize;

    /// <summary>Folder of the run (logs, checkpoints, the manifest written for training); null for the YAML's <c>default_root_dir</c>.</summary>
    public string? OutputDirectory;

    /// <summary>Training device; null for <c>trainer.accelerator</c>. The trained model is left on it.</summary>
    public Device? Device;

    /// <summary>What a step is (see <see cref="Kanade.Training.Pipeline.StepCounting"/>).</summary>
    public StepCounting StepCounting = StepCounting.TrainingSteps;

    /// <summary>Where progress lines go; null (the default) for silence.</summary>
    public TextWriter? Progress;

    /// <summary>The encoder the fitted transformer is: waveform column in, token / global-embedding columns out.</summary>
    public KanadeEncodingOptions Encoding = new();
}
