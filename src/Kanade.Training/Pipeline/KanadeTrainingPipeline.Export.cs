// Port of kanade-tokenizer script/export_safetensors.py (MIT): the published checkpoint layout.
using Kanade.IO;

namespace Kanade.Training.Pipeline;

public sealed partial class KanadeTrainingPipeline
{
    /// <summary>
    /// Writes the model in the layout of the published checkpoints (what the reference's <c>export_safetensors.py</c>
    /// writes and <see cref="KanadeModel.FromPretrained(string, string, string?)"/> reads with separate SSL weights): every parameter except the SSL
    /// model, the feature decoder and <c>conv_upsample</c> (<see cref="KanadeModel.WeightsToSave"/>), atomically.
    /// </summary>
    /// <param name="path">The <c>.safetensors</c> file to write.</param>
    /// <param name="includeModules">Modules to keep although the published layout leaves them out (e.g. <c>feature_decoder</c>).</param>
    public void ExportWeights(string path, IEnumerable<string>? includeModules = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        SafeTensors.Save(path, Model.WeightsToSave(includeModules));
    }

    /// <summary>
    /// Exports a checkpoint of any supported format (training checkpoint, Lightning <c>.ckpt</c>, state dict) to the published
    /// layout, building the model of <paramref name="trainYamlPath"/> to check every tensor's name and shape on the way.
    /// </summary>
    /// <exception cref="WeightLoadException">The checkpoint does not fit the config's model.</exception>
    public static void ExportWeights(string trainYamlPath, string checkpointPath, string outputPath, IEnumerable<string>? includeModules = null)
    {
        var config = Kanade.Training.Config.TrainingConfigLoader.Load(trainYamlPath);
        using var pipeline = FromConfig(config with
        {
            Trainer = config.Trainer with { MaxSteps = Math.Max(config.Trainer.MaxSteps, 1) },
            Model = config.Model with { PipelineConfig = config.Model.PipelineConfig with { CkptPath = null } },
        });
        pipeline.LoadWeights(checkpointPath);
        pipeline.ExportWeights(outputPath, includeModules);
    }
}
