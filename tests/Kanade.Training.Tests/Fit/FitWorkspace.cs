using System.Globalization;
using Kanade.Tests;
using Kanade.Training.Config;
using Kanade.Training.Fit;

namespace Kanade.Training.Tests.Fit;

/// <summary>A temporary run folder with a training YAML: a fixture model (tiny12) on the datasets/espeak corpus.</summary>
sealed class FitWorkspace : IDisposable
{
    public FitWorkspace()
    {
        Directory = Path.Combine(Path.GetTempPath(), "kanade-fit-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public static string Corpus => Path.Combine(Fixtures.RepoRoot, "datasets", "espeak");

    /// <summary>
    /// The YAML: <paramref name="trainer"/> lines under <c>trainer:</c>, the model section of the fixture's
    /// <paramref name="fixtureYaml"/> (with <paramref name="pipelineExtra"/> lines added to its pipeline_config), and data
    /// over the corpus in <paramref name="audioLength"/>-sample chunks.
    /// </summary>
    public string WriteConfig(string fixtureYaml, string trainer, int batchSize, int hop, string pipelineExtra = "", int audioLength = 34560)
    {
        string fixture = File.ReadAllText(Fixtures.Path("tiny12", fixtureYaml));
        string model = fixture[fixture.IndexOf("\nmodel:", StringComparison.Ordinal)..].TrimEnd();
        if (pipelineExtra.Length > 0)
            model = model.Replace("      use_torch_compile: false", "      use_torch_compile: false\n" + Indent(pipelineExtra, 6));
        string corpus = Corpus.Replace("\\", "/");
        string Split(string csv, int? chunkHop, bool train) => string.Create(CultureInfo.InvariantCulture, $"""
                  csv_path: {corpus}/{csv}
                  audio_root: {corpus}
                  sample_rate: 24000
                  chunk_size: {audioLength}
            {(chunkHop is int h ? $"      chunk_hop_size: {h}\n" : "")}      batch_size: {batchSize}
                  num_workers: 1
                  shuffle: {(train ? "true" : "false")}
                  drop_last: {(train ? "true" : "false")}
            """);
        string yaml = $"""
            seed_everything: 42
            trainer:
              accelerator: cpu
              precision: '32'
              default_root_dir: {Directory.Replace("\\", "/")}
            {Indent(trainer, 2)}
            {model.TrimStart('\n')}
            data:
              class_path: kanade_tokenizer.data.datamodule.AudioDataModule
              init_args:
                train_config:
            {Split("train.csv", hop, true)}
                val_config:
            {Split("val.csv", null, false)}
            """;
        string path = Path.Combine(Directory, "train.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(line => line.Length == 0 ? line : new string(' ', spaces) + line));

    public static KanadeTrainer Trainer(string yaml, Action<Kanade.Training.Pipeline.TrainingStepResult>? afterStep = null,
        bool validateFirst = false, IVocoder? vocoder = null, params string[] overrides)
    {
        var config = TrainingConfigLoader.Load(yaml, overrides);
        return new KanadeTrainer(config, new FitOptions
        {
            SslWeightsPath = Fixtures.Path("tiny12", "ssl.safetensors"),
            Progress = null,
            AfterStep = afterStep,
            ValidateBeforeTraining = validateFirst,
            ConfigYaml = File.ReadAllText(yaml),
            Vocoder = vocoder,
        });
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
