using System.Text.RegularExpressions;
using Kanade.Tests;
using Kanade.Training.Pipeline;

namespace Kanade.MLNet.Tests.Notebooks;

[TestClass]
public sealed class TrainNotebookTests
{
    static Tiny12NotebookRun? notebook;

    static NotebookRunner Run => notebook!.Runner;

    [ClassInitialize]
    public static void RunNotebook(TestContext _) => notebook = new("train.ipynb");

    [ClassCleanup]
    public static void Cleanup() => notebook?.Dispose();

    [TestMethod]
    public void EveryStepRecordedAFiniteLoss()
    {
        var losses = Run.Variable<List<double>>("losses");
        Assert.HasCount(Run.Variable<int>("steps"), losses);
        Assert.IsTrue(losses.All(double.IsFinite), string.Join(", ", losses));
        Assert.AreEqual(Run.Variable<int>("steps"), (int)Run.Variable<KanadeTrainingPipeline>("pipeline").TrainingSteps);
    }

    [TestMethod]
    public void LossCurvesAreSvgLinesWithOnePointPerStep()
    {
        var charts = NotebookFixture.SvgImages(Run.Html);
        Assert.HasCount(2, charts);
        foreach (string chart in charts)
        {
            string points = Regex.Match(chart, "<polyline [^>]*points=\"([^\"]+)\"").Groups[1].Value;
            Assert.HasCount(Run.Variable<int>("steps"), points.Split(' '));
        }
    }

    [TestMethod]
    public void SavedFolderReloadsWithTheFineTunedWeights()
    {
        var pipeline = Run.Variable<KanadeTrainingPipeline>("pipeline");
        var finetuned = Run.Variable<KanadeModel>("finetuned");
        var trained = pipeline.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var initial = Kanade.IO.SafeTensors.Load(Fixtures.Path("tiny12", "model_full.safetensors"));
        const string probe = "mel_decoder.output_proj.weight";
        var reloaded = finetuned.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        TensorAssert.Equal(reloaded[probe], trained[probe], "reloaded vs trained " + probe);
        Assert.IsGreaterThan(0.0, (trained[probe] - initial[probe]).abs().max().item<float>(), "fine-tuning changed " + probe);
        Assert.IsNotEmpty(Run.Variable<long[]>("finetunedTokens"));
    }

    [TestMethod]
    public void ValidationMelL1IsReportedBeforeAndAfter()
    {
        double before = Run.Variable<double>("validationBefore"), after = Run.Variable<double>("validationAfter");
        Assert.IsTrue(double.IsFinite(before) && double.IsFinite(after));
        StringAssert.Contains(Run.StandardOutput, $"Validation mel L1: {before:F4} before, {after:F4} after");
    }
}
