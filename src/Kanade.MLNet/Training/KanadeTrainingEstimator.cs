// The KanadeTrain trainer: fits a Kanade tokenizer on a manifest and returns the encoder, as Microsoft.ML.TorchSharp's
// trainers return their predictors.
using System.Globalization;
using Kanade.MLNet.Schema;
using Kanade.Training.Config;
using Kanade.Training.Data;
using Kanade.Training.Fit;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;

namespace Kanade.MLNet;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> of <see cref="KanadeTrainingCatalog.KanadeTrain(TransformsCatalog, KanadeTrainerOptions)"/>:
/// <see cref="Fit"/> reads the audio paths of its input (a manifest view), trains or fine-tunes the model of a training
/// YAML on them with <c>kanade fit</c>'s loop (<see cref="KanadeTrainer"/>: checkpoints, TensorBoard logs, resumable),
/// and returns a <see cref="KanadeEncodingTransformer"/> over the trained model, so that in a chain after
/// <c>LoadAudio</c> the fitted pipeline tokenizes with what it just learned.
/// </summary>
public sealed class KanadeTrainingEstimator : IEstimator<KanadeEncodingTransformer>
{
    const string Name = "KanadeTrain";
    readonly KanadeTrainerOptions options;
    KanadeModel? schemaModel;

    internal KanadeTrainingEstimator(KanadeTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConfigPath))
            throw new ArgumentException("KanadeTrainerOptions.ConfigPath must name a training YAML (config/train/*.yaml).", nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.PathColumnName, nameof(options.PathColumnName));
        if (options.BatchSize is < 1)
            throw new ArgumentException($"KanadeTrainerOptions.BatchSize must be positive, got {options.BatchSize}.", nameof(options));
        ArgumentNullException.ThrowIfNull(options.Encoding);
        this.options = options;
    }

    /// <summary>What the latest <see cref="Fit"/> did: run folder, TensorBoard file, steps, validations, checkpoints.</summary>
    public FitResult? LastFit { get; private set; }

    /// <summary>
    /// Trains on the rows of <paramref name="input"/>: each row's file (the path column; optional id, frame-count and
    /// sample-rate columns) is cut into <c>audio_length</c> chunks as the YAML's training split would be. Returns the encoder
    /// over the trained weights (on <see cref="KanadeTrainerOptions.Device"/>, eval mode).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The path column is absent or not Text.</exception>
    /// <exception cref="InvalidOperationException">The input has no rows, or the run ends without weights.</exception>
    public KanadeEncodingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaChecks.Require(input.Schema, options.PathColumnName, ColumnTypes.Text, Name);
        var (config, yaml) = Load();
        string root = Path.GetFullPath(options.OutputDirectory ?? config.Trainer.DefaultRootDir ?? ".");
        Directory.CreateDirectory(root);
        string audioRoot = Path.GetFullPath(options.AudioRoot ?? ".");
        string manifest = Path.Combine(root, $"kanade_train_{DateTime.UtcNow:yyyyMMdd'T'HHmmss}_{Guid.NewGuid():N}.csv");
        int rows = WriteManifest(input, manifest, audioRoot);
        if (rows == 0) throw new InvalidOperationException($"{Name}: the input has no rows to train on.");

        var settings = config.Model.PipelineConfig;
        var template = config.Data?.TrainConfig;
        var train = (template ?? new AudioDataConfig { CsvPath = manifest, AudioRoot = audioRoot, BatchSize = 8, Shuffle = true }) with
        {
            CsvPath = manifest,
            AudioRoot = audioRoot,
            SampleRate = config.Model.ModelConfig.SampleRate,
            ChunkSize = settings.AudioLength,
            ChunkHopSize = template?.ChunkHopSize ?? settings.AudioLength,
            BatchSize = options.BatchSize ?? template?.BatchSize ?? 8,
        };
        var validation = options.ValidationManifestPath is { } val
            ? train with { CsvPath = Path.GetFullPath(val), ChunkHopSize = null, Shuffle = false, DropLast = false }
            : null;
        var run = config with
        {
            Trainer = config.Trainer with { DefaultRootDir = root },
            Data = new AudioDataModuleConfig { TrainConfig = train, ValConfig = validation },
            Model = options.StartFrom is null ? config.Model
                : config.Model with { PipelineConfig = settings with { CkptPath = Path.GetFullPath(options.StartFrom) } },
        };

        string finalWeights = Path.ChangeExtension(manifest, ".model.safetensors");
        LastFit = new KanadeTrainer(run, new FitOptions
        {
            Device = options.Device,
            SslWeightsPath = options.SslWeightsPath,
            StepCounting = options.StepCounting,
            Progress = options.Progress,
            ConfigYaml = yaml,
            FinalModelPath = finalWeights,
        }).Fit();

        var model = new KanadeModel(run.Model.ToModelDefinition(run.SourcePath));
        try
        {
            model.LoadWeights(finalWeights);
            if (options.Device is { } device) model.to(device);
            model.eval();
            return new KanadeEncodingTransformer(model, options.Encoding);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The input shape plus the encoder's columns. The input needs the path column (Text) for training and the encoder's
    /// waveform column (Vector&lt;Single&gt;, e.g. from <c>LoadAudio</c>) for the transform.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is absent or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.Require(inputSchema, options.PathColumnName, ColumnTypes.Text, Name);
        // The columns depend on the architecture only: a model with fresh weights describes them.
        schemaModel ??= new KanadeModel(Load().Config.Model.ToModelDefinition(options.ConfigPath));
        var transformer = new KanadeEncodingTransformer(schemaModel, options.Encoding);
        transformer.CheckInputs(inputSchema);
        return SchemaShapes.Extend(inputSchema, transformer.AddedColumns());
    }

    (KanadeTrainingConfig Config, string Yaml) Load() =>
        TrainingConfigLoader.LoadEffective(options.ConfigPath, Kanade.Training.Config.ConfigOverrides.Parse(options.ConfigOverrides));

    // The manifest kanade fit reads (audio_id,path,length,sample_rate); lengths and rates come from the files when the
    // input lacks those columns.
    int WriteManifest(IDataView input, string path, string audioRoot)
    {
        var schema = input.Schema;
        var pathColumn = schema[options.PathColumnName];
        var idColumn = Optional(schema, options.AudioIdColumnName, TextDataViewType.Instance);
        var lengthColumn = Optional(schema, options.LengthColumnName, NumberDataViewType.Int64);
        var rateColumn = Optional(schema, options.SampleRateColumnName, NumberDataViewType.Int32);
        var needed = new[] { pathColumn, idColumn, lengthColumn, rateColumn }.OfType<DataViewSchema.Column>().ToArray();
        using var cursor = input.GetRowCursor(needed);
        var getPath = cursor.GetGetter<ReadOnlyMemory<char>>(pathColumn);
        var getId = idColumn is { } i ? cursor.GetGetter<ReadOnlyMemory<char>>(i) : null;
        var getLength = lengthColumn is { } l ? cursor.GetGetter<long>(l) : null;
        var getRate = rateColumn is { } r ? cursor.GetGetter<int>(r) : null;
        var entries = new List<AudioManifestEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            getPath(ref value);
            string file = value.ToString();
            int row = entries.Count;
            if (file.Length == 0) throw new InvalidDataException($"{Name}: row {row + 1} has an empty '{options.PathColumnName}'.");
            string id = row.ToString("D6", CultureInfo.InvariantCulture);
            if (getId is not null)
            {
                getId(ref value);
                if (value.Length > 0) id = value.ToString();
            }
            if (!seen.Add(id)) id = $"{id}_{row}";
            long length = 0;
            int rate = 0;
            getLength?.Invoke(ref length);
            getRate?.Invoke(ref rate);
            if (length <= 0 || rate <= 0)
            {
                var info = AudioFile.Info(Path.Combine(audioRoot, file));
                (length, rate) = (info.Frames, info.SampleRate);
            }
            entries.Add(new AudioManifestEntry(id, file, length, rate));
        }
        AudioManifest.Write(path, entries);
        return entries.Count;
    }

    static DataViewSchema.Column? Optional(DataViewSchema schema, string name, DataViewType type) =>
        schema.GetColumnOrNull(name) is { } column && column.Type.Equals(type) ? column : null;
}
