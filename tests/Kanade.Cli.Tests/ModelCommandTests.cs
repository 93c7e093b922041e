using Kanade.IO;
using Kanade.Tests;
using static TorchSharp.torch;

namespace Kanade.Cli.Tests;

/// <summary><c>encode</c>, <c>decode</c>, <c>resynth</c>, <c>vc</c> write what the library calls return.</summary>
[TestClass]
public sealed class ModelCommandTests
{
    static KanadeModel Model => CliHarness.TinyModel;
    static Tensor Wave(string clip) => AudioFile.Load(Fixtures.Audio(clip), Model.Config.SampleRate);

    [TestMethod]
    public void EncodeSafetensorsHoldsTheLibrarysFeatures()
    {
        using var folder = new TempDirectory();
        string output = folder.File("f.safetensors");
        CliHarness.Run(["encode", Fixtures.Audio("real_front_center_48k.wav"), .. CliHarness.Model, "-o", output]).Expect(0);
        using var expected = Model.Encode(Wave("real_front_center_48k.wav"));
        var written = SafeTensors.Load(output);
        TensorAssert.Equal(written["content_token_indices"], expected.ContentTokenIndices!, "tokens");
        TensorAssert.Identical(written["content_embedding"], expected.ContentEmbedding!, "content embedding");
        TensorAssert.Identical(written["global_embedding"], expected.GlobalEmbedding!, "global embedding");
        Assert.AreEqual("34273", SafeTensors.ReadHeader(output).Metadata!["audio_length"]);
    }

    [TestMethod]
    public void EncodeJsonRoundTripsExactly()
    {
        using var folder = new TempDirectory();
        string json = folder.File("f.json"), mel = folder.File("mel.safetensors");
        CliHarness.Run(["encode", Fixtures.Audio("espeak_default_22k.wav"), .. CliHarness.Model, "-o", json]).Expect(0);
        using var expected = Model.Encode(Wave("espeak_default_22k.wav"));
        using var read = Features.FeatureFile.Read(json);
        TensorAssert.Equal(read.ContentTokenIndices!, expected.ContentTokenIndices!, "tokens");
        TensorAssert.Identical(read.ContentEmbedding!, expected.ContentEmbedding!, "content embedding");
        TensorAssert.Identical(read.GlobalEmbedding!, expected.GlobalEmbedding!, "global embedding");
    }

    [TestMethod]
    public void DecodeMelEqualsLibraryDecodeOfTheTokens()
    {
        using var folder = new TempDirectory();
        string features = folder.File("f.safetensors"), mel = folder.File("mel.safetensors");
        CliHarness.Run(["encode", Fixtures.Audio("espeak_f3_stereo_16k.wav"), .. CliHarness.Model, "-o", features]).Expect(0);
        CliHarness.Run(["decode", features, .. CliHarness.Model, "-o", mel]).Expect(0);
        using var encoded = Model.Encode(Wave("espeak_f3_stereo_16k.wav"));
        using var expected = Model.Decode(encoded.GlobalEmbedding!, contentTokenIndices: encoded.ContentTokenIndices);
        TensorAssert.Identical(SafeTensors.Load(mel)["mel"], expected, "mel");
    }

    [TestMethod]
    public void DecodeToWavEqualsVocodedLibraryMel()
    {
        using var folder = new TempDirectory();
        string features = folder.File("f.json"), wav = folder.File("speech.wav");
        CliHarness.Run(["encode", Fixtures.Audio("real_rear_left_48k.wav"), .. CliHarness.Model, "-o", features]).Expect(0);
        CliHarness.Run(["decode", features, .. CliHarness.Model, .. CliHarness.Vocoder, "-o", wav, "--wav-encoding", "float32"]).Expect(0);
        using var encoded = Model.Encode(Wave("real_rear_left_48k.wav"));
        using var vocoder = Vocoder.FromPretrained("vocos", Fixtures.Path("tiny12", "vocos_config.yaml"), Fixtures.Path("tiny12", "vocos.safetensors"));
        using var mel = Model.Decode(encoded.GlobalEmbedding!, contentTokenIndices: encoded.ContentTokenIndices);
        using var expected = vocoder.Vocode(mel.unsqueeze(0)).squeeze(0);
        var written = AudioFile.Read(wav).squeeze(0);
        Assert.AreEqual(vocoder.SampleRate, AudioFile.Info(wav).SampleRate);
        TensorAssert.Identical(written, expected, "speech");
    }

    [TestMethod]
    public void ResynthMelEqualsDecodeOfItsOwnTokensAtTheInputLength()
    {
        using var folder = new TempDirectory();
        string mel = folder.File("mel.safetensors");
        CliHarness.Run(["resynth", Fixtures.Audio("espeak_24bit_44k.flac"), mel, .. CliHarness.Model]).Expect(0);
        var wave = Wave("espeak_24bit_44k.flac");
        using var encoded = Model.Encode(wave);
        using var expected = Model.Decode(encoded.GlobalEmbedding!, contentTokenIndices: encoded.ContentTokenIndices, targetAudioLength: wave.shape[0]);
        TensorAssert.Identical(SafeTensors.Load(mel)["mel"], expected, "mel");
    }

    [TestMethod]
    public void ResynthWavIsTheVocodedMel()
    {
        using var folder = new TempDirectory();
        string mel = folder.File("mel.safetensors"), wav = folder.File("out.wav");
        CliHarness.Run(["resynth", Fixtures.Audio("short_24k.wav"), mel, .. CliHarness.Model]).Expect(0);
        CliHarness.Run(["resynth", Fixtures.Audio("short_24k.wav"), wav, .. CliHarness.Model, .. CliHarness.Vocoder]).Expect(0);
        using var vocoder = Vocoder.FromPretrained("vocos", Fixtures.Path("tiny12", "vocos_config.yaml"), Fixtures.Path("tiny12", "vocos.safetensors"));
        using var expected = vocoder.Vocode(SafeTensors.Load(mel)["mel"].unsqueeze(0)).squeeze(0);
        // PCM16 by default: within half a step of 1/32768 after clipping to [-1, 1].
        TensorAssert.Close(AudioFile.Read(wav).squeeze(0), expected.clamp(-1, 1), 1.0 / 32768, "speech");
    }

    [TestMethod]
    public void VcMelEqualsLibraryVoiceConversionAndTheReference()
    {
        using var folder = new TempDirectory();
        string mel = folder.File("vc.safetensors");
        CliHarness.Run(["vc", Fixtures.Audio("real_front_center_48k.wav"), Fixtures.Audio("espeak_f3_stereo_16k.wav"), mel, .. CliHarness.Model]).Expect(0);
        using var expected = Model.VoiceConversion(Wave("real_front_center_48k.wav"), Wave("espeak_f3_stereo_16k.wav"));
        var written = SafeTensors.Load(mel)["mel"];
        TensorAssert.Identical(written, expected, "mel");
        var reference = SafeTensors.Load(Fixtures.Path("tiny12", "voice_conversion.safetensors"))["mel"];
        TensorAssert.Close(written, reference, TensorAssert.Deep, "mel vs the Python reference");
    }
}
