// Saving and loading fitted Kanade pipelines: ML.NET's own model format cannot carry a TorchSharp model.
using System.Reflection;
using System.Text.Json;
using Kanade.IO;
using Kanade.MLNet.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.MLNet;

/// <summary>
/// Saves a fitted pipeline of Kanade steps (LoadAudio, KanadeEncode, KanadeDecode, Vocode) to a JSON file and loads it
/// back as a <see cref="TransformerChain{TLastTransformer}"/>.
/// </summary>
/// <remarks>
/// <para>Why not <c>mlContext.Model.Save</c>: ML.NET's model files are written through <c>ModelSaveContext</c>, whose
/// writers are internal to Microsoft's assemblies, and loaded through <c>LoadableClass</c> factories that third-party
/// assemblies cannot register. The public route, <c>CustomMapping</c> with a contract name and
/// <c>ComponentCatalog.RegisterAssembly</c>, re-creates the mapping with a parameterless factory: it saves only the
/// contract name, so it cannot carry a reference to a model (which file, which weights), and its mapping runs one row at
/// a time, which rules out batching on the device. So each Kanade transformer's <see cref="ICanSaveModel.Save"/>
/// throws a <see cref="NotSupportedException"/> that points here.</para>
/// <para>What is stored: each step's kind and options (the column wiring), and for each model and vocoder the paths of
/// its config and weights files with their SHA-256, not the weights themselves. Paths are stored relative to the
/// pipeline file and as absolute paths; loading looks beside the pipeline file first. Loading checks every SHA-256 and
/// refuses a file that changed. Models must have been loaded through <see cref="KanadeModelReference.Load(string, string, string?)"/>
/// (or registered with <see cref="KanadeModelReference.Register"/>), vocoders through <see cref="VocoderReference"/>.</para>
/// </remarks>
public static class KanadePipeline
{
    /// <summary>Writes <paramref name="transformer"/> (one Kanade transformer or a chain of them) to <paramref name="path"/> (JSON).</summary>
    /// <param name="transformer">A fitted pipeline: a <see cref="TransformerChain{TLastTransformer}"/> or a single Kanade transformer.</param>
    /// <param name="path">The file to write (replaced whole, never left half-written).</param>
    /// <exception cref="NotSupportedException">A step is not a Kanade transformer.</exception>
    /// <exception cref="InvalidOperationException">A model or vocoder has no <see cref="KanadeModelReference"/>/<see cref="VocoderReference"/>.</exception>
    public static void Save(ITransformer transformer, string path)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var models = new List<KanadeModel>();
        var vocoders = new List<IVocoder>();
        var document = new PipelineDocument
        {
            WrittenBy = "Kanade.MLNet " + typeof(KanadePipeline).Assembly.GetName().Version,
            Steps = [.. Flatten(transformer).Select((t, i) => Describe(t, i, models, vocoders))],
        };
        document.Models.AddRange(models.Select((m, i) => ModelFiles(m, i, folder)));
        document.Vocoders.AddRange(vocoders.Select((v, i) => VocoderFiles(v, i, folder)));
        Directory.CreateDirectory(folder);
        AtomicFile.Write(path, temporary => File.WriteAllText(temporary, JsonSerializer.Serialize(document, PipelineDocument.Json)));
    }

    /// <summary>
    /// Reads a pipeline written by <see cref="Save"/>: checks each model and vocoder file's SHA-256, loads them (once each,
    /// shared by the steps that use them) and rebuilds the steps.
    /// </summary>
    /// <param name="path">The pipeline file.</param>
    /// <param name="device">Device to move the models and vocoders to; null to keep them on the CPU.</param>
    /// <exception cref="InvalidDataException">The file is not a Kanade pipeline, or a model file changed since it was saved.</exception>
    public static TransformerChain<ITransformer> Load(string path, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Pipeline file '{path}' does not exist.", path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        PipelineDocument document;
        try
        {
            document = JsonSerializer.Deserialize<PipelineDocument>(File.ReadAllText(path), PipelineDocument.Json)
                ?? throw new InvalidDataException($"'{path}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a Kanade pipeline file (JSON): {e.Message}", e);
        }
        if (document.Format != PipelineDocument.FormatName || document.Version != PipelineDocument.CurrentVersion)
            throw new InvalidDataException(
                $"'{path}' is a '{document.Format}' file of version {document.Version}; expected '{PipelineDocument.FormatName}' version {PipelineDocument.CurrentVersion}.");

        var models = new KanadeModel?[document.Models.Count];
        var vocoders = new IVocoder?[document.Vocoders.Count];
        KanadeModel Model(int? index, string step) => index is int i && i >= 0 && i < models.Length
            ? models[i] ??= Move(LoadModel(document.Models[i], folder), device)
            : throw new InvalidDataException($"'{path}': step {step} names model {index}, but the file lists {models.Length}.");
        IVocoder Vocoder(int? index, string step) => index is int i && i >= 0 && i < vocoders.Length
            ? vocoders[i] ??= Move(LoadVocoder(document.Vocoders[i], folder), device)
            : throw new InvalidDataException($"'{path}': step {step} names vocoder {index}, but the file lists {vocoders.Length}.");

        var steps = document.Steps.Select<Step, ITransformer>(step => step.Kind switch
        {
            AudioLoadingTransformer.Name => new AudioLoadingTransformer(Options<AudioLoadingOptions>(step, path)),
            KanadeEncodingTransformer.Name => new KanadeEncodingTransformer(Model(step.Model, step.Kind), Options<KanadeEncodingOptions>(step, path)),
            KanadeDecodingTransformer.Name => new KanadeDecodingTransformer(Model(step.Model, step.Kind), Options<KanadeDecodingOptions>(step, path)),
            VocodingTransformer.Name => new VocodingTransformer(Vocoder(step.Vocoder, step.Kind), Options<VocodingOptions>(step, path)),
            _ => throw new InvalidDataException(
                $"'{path}': unknown step '{step.Kind}'; known: {AudioLoadingTransformer.Name}, {KanadeEncodingTransformer.Name}, {KanadeDecodingTransformer.Name}, {VocodingTransformer.Name}."),
        }).ToArray();
        return new TransformerChain<ITransformer>(steps);
    }

    /// <summary>The exception a Kanade transformer's <see cref="ICanSaveModel.Save"/> throws.</summary>
    internal static NotSupportedException SaveNotSupported(ITransformer transformer) => new(
        $"{transformer.GetType().Name} cannot be saved with mlContext.Model.Save: ML.NET's model format has no place for a TorchSharp model. " +
        "Save the fitted pipeline with Kanade.MLNet.KanadePipeline.Save(transformer, path) and load it with KanadePipeline.Load(path); " +
        "it stores the column wiring and checksummed references to the model files.");

    static IEnumerable<ITransformer> Flatten(ITransformer transformer)
    {
        if (transformer is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
                foreach (var t in Flatten(inner)) yield return t;
        }
        else yield return transformer;
    }

    static Step Describe(ITransformer transformer, int index, List<KanadeModel> models, List<IVocoder> vocoders)
    {
        static JsonElement Json<T>(T options) => JsonSerializer.SerializeToElement(options, PipelineDocument.Json);
        int Use<T>(List<T> list, T item) where T : class
        {
            int i = list.FindIndex(x => ReferenceEquals(x, item));
            if (i >= 0) return i;
            list.Add(item);
            return list.Count - 1;
        }
        return transformer switch
        {
            AudioLoadingTransformer t => new Step { Kind = AudioLoadingTransformer.Name, Options = Json(t.Options) },
            KanadeEncodingTransformer t => new Step { Kind = KanadeEncodingTransformer.Name, Model = Use(models, t.Model), Options = Json(t.Options) },
            KanadeDecodingTransformer t => new Step { Kind = KanadeDecodingTransformer.Name, Model = Use(models, t.Model), Options = Json(t.Options) },
            VocodingTransformer t => new Step { Kind = VocodingTransformer.Name, Vocoder = Use(vocoders, t.Vocoder), Options = Json(t.Options) },
            _ => throw new NotSupportedException(
                $"KanadePipeline.Save: step {index} is a {transformer.GetType().Name}; only LoadAudio, KanadeEncode, KanadeDecode and Vocode steps can be saved. " +
                "Save other ML.NET steps with mlContext.Model.Save in a pipeline of their own."),
        };
    }

    static FileSet ModelFiles(KanadeModel model, int index, string folder)
    {
        var reference = KanadeModelReference.Of(model) ?? throw new InvalidOperationException(
            $"KanadePipeline.Save: model {index} was not loaded through KanadeModelReference, so its files are unknown. Load it with " +
            "KanadeModelReference.Load(config, weights, sslWeights), or call KanadeModelReference.FromFiles(...).Register(model).");
        var files = new Dictionary<string, FileEntry>
        {
            ["config"] = FileEntry.For(reference.ConfigPath, reference.ConfigSha256, folder),
            ["weights"] = FileEntry.For(reference.WeightsPath, reference.WeightsSha256, folder),
        };
        if (reference.SslWeightsPath is { } ssl) files["ssl_weights"] = FileEntry.For(ssl, reference.SslWeightsSha256!, folder);
        return new FileSet { Name = Path.GetFileNameWithoutExtension(reference.ConfigPath), Files = files };
    }

    static FileSet VocoderFiles(IVocoder vocoder, int index, string folder)
    {
        var reference = VocoderReference.Of(vocoder) ?? throw new InvalidOperationException(
            $"KanadePipeline.Save: vocoder {index} was not loaded through VocoderReference, so its files are unknown. Load it with " +
            "VocoderReference.Load(name, config, weights), or call VocoderReference.FromFiles(...).Register(vocoder).");
        var files = new Dictionary<string, FileEntry> { ["weights"] = FileEntry.For(reference.WeightsPath, reference.WeightsSha256, folder) };
        if (reference.ConfigPath is { } config) files["config"] = FileEntry.For(config, reference.ConfigSha256!, folder);
        return new FileSet { Name = reference.Name, Files = files };
    }

    static KanadeModel LoadModel(FileSet set, string folder)
    {
        FileEntry File(string key) => set.Files.TryGetValue(key, out var entry) ? entry
            : throw new InvalidDataException($"Saved model '{set.Name}' lists no '{key}' file.");
        var ssl = set.Files.GetValueOrDefault("ssl_weights");
        return new KanadeModelReference(File("config").Resolve(folder), File("config").Sha256, File("weights").Resolve(folder), File("weights").Sha256,
            ssl?.Resolve(folder), ssl?.Sha256).Load();
    }

    static IVocoder LoadVocoder(FileSet set, string folder)
    {
        var weights = set.Files.GetValueOrDefault("weights") ?? throw new InvalidDataException($"Saved vocoder '{set.Name}' lists no 'weights' file.");
        var config = set.Files.GetValueOrDefault("config");
        return new VocoderReference(set.Name ?? "", config?.Resolve(folder), config?.Sha256, weights.Resolve(folder), weights.Sha256).Load();
    }

    static T Move<T>(T module, Device? device)
    {
        if (device is not null && module is TorchSharp.torch.nn.Module m) m.to(device);
        return module;
    }

    static T Options<T>(Step step, string path) where T : class =>
        step.Options.Deserialize<T>(PipelineDocument.Json) ?? throw new InvalidDataException($"'{path}': step {step.Kind} has no options.");
}
