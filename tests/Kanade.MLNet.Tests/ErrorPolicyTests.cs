using Kanade.Tests;
using Microsoft.ML;

namespace Kanade.MLNet.Tests;

[TestClass]
public sealed class ErrorPolicyTests
{
    static readonly MLContext ml = new(seed: 1);
    static readonly string[] clips = ["short_24k.wav", "no_such_file.wav", "real_rear_left_48k.wav"];

    static IDataView Encode(string folder, AudioErrorPolicy policy)
    {
        var data = KanadeManifest.Load(ml, TestData.WriteManifest(folder, clips));
        return ml.Transforms.LoadAudio(KanadeColumns.Waveform, KanadeColumns.Path, 24000, TestData.AudioRoot, policy)
            .Append(ml.Transforms.KanadeEncode(TestData.Tiny12)).Fit(data).Transform(data);
    }

    [TestMethod]
    public void ThrowPolicyNamesThePathAndTheRow()
    {
        using var folder = new TempDirectory();
        var output = Encode(folder.Path, AudioErrorPolicy.Throw);
        var error = Assert.ThrowsExactly<AudioFileException>(() => TestData.Vectors<int>(output, KanadeColumns.Tokens));
        StringAssert.Contains(error.Message, Path.Combine(TestData.AudioRoot, "no_such_file.wav"));
        StringAssert.Contains(error.Message, "input row 1");
    }

    [TestMethod]
    public void SkipRowPolicyLeavesTheRowOut()
    {
        using var folder = new TempDirectory();
        var output = Encode(folder.Path, AudioErrorPolicy.SkipRow);
        Assert.IsNull(output.GetRowCount());
        CollectionAssert.AreEqual(new[] { "short_24k", "real_rear_left_48k" }, TestData.Texts(output, KanadeManifest.AudioIdColumn));
        var tokens = TestData.Vectors<int>(output, KanadeColumns.Tokens);
        CollectionAssert.AreEqual(TestData.Direct["real_rear_left_48k.wav"].Tokens, tokens[1].Select(t => (long)t).ToArray());
    }

    [TestMethod]
    public void EmptyWithErrorColumnPolicyGivesAnEmptyRowAndTheMessage()
    {
        using var folder = new TempDirectory();
        var output = Encode(folder.Path, AudioErrorPolicy.EmptyWithErrorColumn);
        var errors = TestData.Texts(output, KanadeColumns.AudioError);
        Assert.AreEqual("", errors[0]);
        StringAssert.Contains(errors[1], "no_such_file.wav");
        Assert.IsEmpty(TestData.Vectors<float>(output, KanadeColumns.Waveform)[1]);
        var tokens = TestData.Vectors<int>(output, KanadeColumns.Tokens);
        Assert.IsEmpty(tokens[1]);
        Assert.HasCount(TestData.Direct["short_24k.wav"].Tokens.Length, tokens[0]);
        Assert.IsTrue(TestData.Vectors<float>(output, KanadeColumns.GlobalEmbedding)[1].All(float.IsNaN));
    }
}
