using Kanade.IO;
using Kanade.Tests;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Kanade.MLNet.Tests.Training;

/// <summary>KanadeTrain: fine-tunes tiny12 on the espeak corpus inside an ML.NET pipeline and encodes with the result.</summary>
[TestClass]
public sealed class KanadeTrainTests
{
    static string Corpus => Path.Combine(Fixtures.RepoRoot, "datasets", "espeak");

    [TestMethod]
    public void FitTrainsOnTheManifestAndTheTransformerEncodesWithTheTrainedModel()
    {
        string output = Path.Combine(Path.GetTempPath(), "kanade-mlnet-train-" + Guid.NewGuid().ToString("N"));
        try
        {
            var ml = new MLContext(seed: 1);
            var manifest = KanadeManifest.Load(ml, Path.Combine(Corpus, "train.csv"));
            var trainer = ml.Transforms.KanadeTrain(new KanadeTrainerOptions
            {
                ConfigPath = Fixtures.Path("tiny12", "train.yaml"),
                ConfigOverrides = ["--trainer.max_steps", "4", "--trainer.num_sanity_val_steps", "0", "--trainer.limit_val_batches", "1",
                                   "--trainer.accelerator", "cpu"],
                StartFrom = Fixtures.Path("tiny12", "model_full.safetensors"),
                AudioRoot = Corpus,
                ValidationManifestPath = Path.Combine(Corpus, "val.csv"),
                BatchSize = 2,
                OutputDirectory = output,
            });
            var pipeline = ml.Transforms.LoadAudio(KanadeColumns.Waveform, KanadeManifest.PathColumn, 24000, Corpus).Append(trainer);

            var fitted = pipeline.Fit(manifest);
            var encoded = fitted.Transform(manifest);

            Assert.AreEqual(4L, trainer.LastFit!.GlobalStep);
            Assert.IsTrue(File.Exists(trainer.LastFit.EventFile));
            var tokens = encoded.GetColumn<VBuffer<int>>(KanadeColumns.Tokens).First().DenseValues().ToArray();
            Assert.IsNotEmpty(tokens);
            Assert.IsTrue(tokens.All(t => t is >= 0 and < 12800), "token ids in the vocabulary");

            // The transformer's model holds the trained weights: the fine-tuned ones, not the starting ones.
            var model = fitted.LastTransformer.Model;
            var start = SafeTensors.Load(Fixtures.Path("tiny12", "model_full.safetensors"));
            var final = Directory.GetFiles(output, "*.model.safetensors").Single();
            var trained = SafeTensors.Load(final);
            var state = model.state_dict();
            string name = "local_encoder.layers.0.attention.wq.weight";
            Assert.IsTrue(state[name].equal(trained[name]).all().item<bool>(), "the encoder uses the trained weights");
            Assert.IsFalse(state[name].equal(start[name]).all().item<bool>(), "training moved the weights");
        }
        finally
        {
            try { Directory.Delete(output, recursive: true); } catch (IOException) { }
        }
    }

    [TestMethod]
    public void MissingPathColumnIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(new[] { new { File = "a.wav" } });
        var trainer = ml.Transforms.KanadeTrain(Fixtures.Path("tiny12", "train.yaml"));
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(view));
        StringAssert.Contains(error.Message, "'Path'");
    }
}
