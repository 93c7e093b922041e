using static TorchSharp.torch;

namespace Kanade.Tests.Vocoders;

[TestClass]
public sealed class VocoderTests
{
    [TestMethod]
    public void FromPretrained_VocosDirectory_LoadsTheFixtureVocos()
    {
        using var vocoder = Vocoder.FromPretrained("vocos", Fixtures.Path("tiny12"));
        Assert.AreEqual(24000, vocoder.SampleRate);
        Assert.AreEqual(100, vocoder.MelBins);
        var clip = Fixtures.Clip("tiny12", "short_24k.wav");
        using var waveform = vocoder.Vocode(clip["mel_from_tokens"].unsqueeze(0));
        TensorAssert.Close(waveform[0], clip["vocoded"], TensorAssert.Deep, "vocoded through Vocoder.FromPretrained");
    }

    [TestMethod]
    public void FromPretrained_HiftFiles_LoadsTheFixtureHift()
    {
        using var vocoder = Vocoder.FromPretrained("HiFT", Fixtures.Path("tiny25", "hift_config.json"), Fixtures.Path("tiny25", "hift.safetensors"));
        Assert.AreEqual(24000, vocoder.SampleRate);
        Assert.AreEqual(80, vocoder.MelBins);
        var clip = Fixtures.Clip("tiny25", "short_24k.wav");
        using var waveform = ((Kanade.Vocoders.HiftGenerator)vocoder).Decode(clip["mel_from_tokens"].unsqueeze(0), clip["hift_source"].unsqueeze(0));
        TensorAssert.Close(waveform[0], clip["vocoded"], TensorAssert.Deep, "vocoded through Vocoder.FromPretrained");
    }

    [TestMethod]
    public void FromPretrained_OtherVocodersWeights_ThrowsNamingWhatWasExpected()
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() =>
            Vocoder.FromPretrained("hift", Fixtures.Path("tiny25", "hift_config.json"), Fixtures.Path("tiny12", "vocos.safetensors")));
        StringAssert.Contains(error.Message, "vocos.safetensors' are not HiFT weights: expected tensors under conv_pre.*");
        StringAssert.Contains(error.Message, "found backbone.*");
    }

    [TestMethod]
    public void FromPretrained_UnknownName_ThrowsListingTheAcceptedNames()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Vocoder.FromPretrained("wavenet", null, "w.safetensors"));
        StringAssert.Contains(error.Message, "'vocos', 'hift'");
    }

    [TestMethod]
    public void FromPretrained_DirectoryWithoutWeights_ThrowsListingTheFileNames()
    {
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => Vocoder.FromPretrained("hift", Fixtures.Path("tiny12")));
        StringAssert.Contains(error.Message, "hift.pt, hift.safetensors");
    }
}
