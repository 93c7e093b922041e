using System.Text.RegularExpressions;
using Microsoft.ML;

namespace Kanade.MLNet.Tests.Notebooks;

[TestClass]
public sealed class TokenizeCorpusNotebookTests
{
    static Tiny12NotebookRun? notebook;

    static NotebookRunner Run => notebook!.Runner;

    [ClassInitialize]
    public static void RunNotebook(TestContext _) => notebook = new("tokenize-corpus.ipynb");

    [ClassCleanup]
    public static void Cleanup() => notebook?.Dispose();

    [TestMethod]
    public void ParquetHoldsTheModelsTokensForEveryManifestRow()
    {
        var ml = new MLContext(seed: 1);
        string root = Path.Combine(NotebookFixture.Folder, Run.Variable<string>("audioRoot"));
        var manifest = KanadeManifest.Load(ml, Path.Combine(NotebookFixture.Folder, Run.Variable<string>("manifestPath")));
        var paths = TestData.Texts(manifest, KanadeManifest.PathColumn);
        var written = KanadeParquet.Load(ml, Run.Variable<string>("outputFolder"));
        var tokens = TestData.Vectors<int>(written, "tokens");
        Assert.HasCount(paths.Count, tokens);
        for (int i = 0; i < paths.Count; i++)
        {
            using var wave = AudioFile.Load(Path.Combine(root, paths[i]), TestData.Tiny12.Config.SampleRate);
            using var expected = TestData.Tiny12.Encode(wave);
            CollectionAssert.AreEqual(expected.ContentTokenIndices!.data<long>().ToArray(), tokens[i].Select(t => (long)t).ToArray(), paths[i]);
        }
    }

    [TestMethod]
    public void TokensPerSecondIsCloseToTheModelsRate()
    {
        double rate = Run.Variable<double>("tokensPerSecond");
        Assert.IsGreaterThan(0.95 * TestData.Tiny12.TokenRate, rate);
        Assert.IsLessThanOrEqualTo(TestData.Tiny12.TokenRate, rate);
        StringAssert.Contains(Run.StandardOutput, $"Tokens per second:   {rate:F2}");
    }

    [TestMethod]
    public void HistogramIsAnSvgBarChartOfEveryToken()
    {
        var charts = NotebookFixture.SvgImages(Run.Html);
        Assert.HasCount(1, charts);
        double[] histogram = Run.Variable<double[]>("histogram");
        Assert.AreEqual(Run.Variable<int[]>("allTokens").Length, histogram.Sum());
        Assert.AreEqual(histogram.Length, Regex.Count(charts[0], "<rect "));
    }
}
