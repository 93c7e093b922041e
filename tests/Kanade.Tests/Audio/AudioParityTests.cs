using Kanade.Audio;
using static TorchSharp.torch;

namespace Kanade.Tests.Audio;

/// <summary>The audio front end against the reference's golden tensors, for every clip of both fixture sets.</summary>
[TestClass]
public sealed class AudioParityTests
{
    [TestMethod]
    [DynamicData(nameof(Fixtures.SetAndClipRows), typeof(Fixtures))]
    public void ReadEqualsSoundfileSamples(string set, string clip)
    {
        using var scope = NewDisposeScope();
        var expected = Fixtures.Clip(set, clip)["raw"];
        var actual = AudioFile.Read(Fixtures.Audio(clip));
        Report(set, clip, "raw", TensorAssert.Close(actual, expected, 1e-7, $"{set}/{clip} raw"));
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.SetAndClipRows), typeof(Fixtures))]
    public void LoadEqualsReferenceLoadAudio(string set, string clip)
    {
        using var scope = NewDisposeScope();
        var expected = Fixtures.Clip(set, clip)["wave"];
        var actual = AudioFile.Load(Fixtures.Audio(clip), 24000);
        Report(set, clip, "wave", TensorAssert.Close(actual, expected, TensorAssert.Shallow, $"{set}/{clip} wave"));
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.SetAndClipRows), typeof(Fixtures))]
    public void ResampleOfPaddedWaveEqualsSslInput(string set, string clip)
    {
        using var scope = NewDisposeScope();
        var golden = Fixtures.Clip(set, clip);
        int padding = Fixtures.ClipInfo(set, clip).GetProperty("padding").GetInt32();
        var padded = nn.functional.pad(golden["wave"], [padding, padding]);
        using var resampler = new Resample(24000, 16000);
        var actual = resampler.call(padded.unsqueeze(0)).squeeze(0);                   // the SSL extractor's batch of one
        Report(set, clip, "resampled_16k", TensorAssert.Close(actual, golden["resampled_16k"], TensorAssert.Shallow, $"{set}/{clip} resampled_16k"));
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.SetAndClipRows), typeof(Fixtures))]
    public void MelSpectrogramFeatureEqualsTrainingTarget(string set, string clip)
    {
        using var scope = NewDisposeScope();
        var golden = Fixtures.Clip(set, clip);
        var expected = golden["mel_real"];
        // The values of <set>/model.yaml: tiny12 is Vocos style (center), tiny25 BigVGAN style (same, fmax 8000).
        using var feature = set == "tiny12"
            ? new MelSpectrogramFeature(24000, nFft: 1024, hopLength: 256, nMels: 100, padding: "center")
            : new MelSpectrogramFeature(24000, nFft: 1920, hopLength: 480, nMels: 80, padding: "same", fMin: 0, fMax: 8000,
                bigvganStyleMel: true);
        var actual = feature.call(golden["wave"].unsqueeze(0)).squeeze(0);            // (1, M, frames) -> (M, frames)
        if (set == "tiny25")
        {
            Report(set, clip, "mel_real", TensorAssert.Close(actual, expected, TensorAssert.Shallow, $"{set}/{clip} mel_real"));
            return;
        }
        // Vocos style takes the log of magnitudes clipped only at 1e-7, so in near-silent bins it magnifies float32 FFT
        // rounding (the reference differs from a float64 computation there as much as this port does). The magnitudes
        // agree to 1e-5 of each frame's peak, and the log agrees to the usual bound wherever the magnitude is >= 1e-2.
        var magnitude = actual.exp();
        var expectedMagnitude = expected.exp();
        var framePeak = expectedMagnitude.amax([0], keepdim: true);                     // (1, frames)
        double relative = ((magnitude - expectedMagnitude).abs() / framePeak).max().item<float>();
        Console.WriteLine($"PARITY {set} {clip} mel_real magnitude max|diff|/frame peak={relative:E3}");
        Assert.IsLessThanOrEqualTo(1e-5, relative, $"{set}/{clip} mel_real magnitude relative to frame peak");
        var audible = expected.ge(Math.Log(1e-2));
        Report(set, clip, "mel_real (mel >= 1e-2)",
            TensorAssert.Close(actual.where(audible, expected), expected, TensorAssert.Shallow, $"{set}/{clip} mel_real (mel >= 1e-2)"));
    }

    /// <summary>Writes a parity check's max |actual - expected| to the test output, for the record.</summary>
    static void Report(string set, string clip, string tensor, double maxDiff) =>
        Console.WriteLine($"PARITY {set} {clip} {tensor} max|diff|={maxDiff:E3}");
}
