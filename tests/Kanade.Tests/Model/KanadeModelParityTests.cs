using static TorchSharp.torch;

namespace Kanade.Tests.Model;

/// <summary>The whole model, from the audio file on, reproduces every golden tensor of every clip.</summary>
[TestClass]
public sealed class KanadeModelParityTests
{
    [TestMethod]
    [DynamicData(nameof(Fixtures.SetAndClipRows), typeof(Fixtures))]
    public void SslFeaturesMatch(string set, string clip)
    {
        var model = TinyModels.Get(set);
        var golden = Fixtures.Clip(set, clip);
        var wave = AudioFile.Load(Fixtures.Audio(clip), 24000);
        using var _ = no_grad();
        var (local, global) = model.ForwardSslFeatures(wave.unsqueeze(0).to(Fixtures.Device), model.WaveformPadding(wave.shape[0]));
        TensorAssert.Close(local[0], golden["local_ssl"], TensorAssert.Shallow, $"{set} {clip} local_ssl");
        TensorAssert.Close(global[0], golden["global_ssl"], TensorAssert.Shallow, $"{set} {clip} global_ssl");
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.SetAndClipRows), typeof(Fixtures))]
    public void EncodeMatches(string set, string clip)
    {
        var model = TinyModels.Get(set);
        var golden = Fixtures.Clip(set, clip);
        using var features = model.Encode(AudioFile.Load(Fixtures.Audio(clip), 24000));
        TensorAssert.Equal(features.ContentTokenIndices!, golden["content_token_indices"], $"{set} {clip} content_token_indices");
        Assert.AreEqual(ScalarType.Int64, features.ContentTokenIndices!.dtype);
        TensorAssert.Close(features.ContentEmbedding!, golden["content_embedding"], TensorAssert.Shallow, $"{set} {clip} content_embedding");
        TensorAssert.Close(features.GlobalEmbedding!, golden["global_embedding"], TensorAssert.Shallow, $"{set} {clip} global_embedding");
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures.SetAndClipRows), typeof(Fixtures))]
    public void DecodeMatches(string set, string clip)
    {
        var model = TinyModels.Get(set);
        var golden = Fixtures.Clip(set, clip);
        var fromTokens = model.Decode(golden["global_embedding"], contentTokenIndices: golden["content_token_indices"]);
        TensorAssert.Close(fromTokens, golden["mel_from_tokens"], TensorAssert.Deep, $"{set} {clip} mel_from_tokens");
        var withLength = model.Decode(golden["global_embedding"], contentEmbedding: golden["content_embedding"], targetAudioLength: golden["wave"].shape[0]);
        TensorAssert.Close(withLength, golden["mel_target_length"], TensorAssert.Deep, $"{set} {clip} mel_target_length");
    }

    [TestMethod]
    [DataRow("tiny12")]
    [DataRow("tiny25")]
    public void VoiceConversionMatches(string set)
    {
        var model = TinyModels.Get(set);
        var mel = model.VoiceConversion(
            AudioFile.Load(Fixtures.Audio("real_front_center_48k.wav"), 24000),
            AudioFile.Load(Fixtures.Audio("espeak_f3_stereo_16k.wav"), 24000));
        var expected = Kanade.IO.SafeTensors.Load(Fixtures.Path(set, "voice_conversion.safetensors"))["mel"];
        TensorAssert.Close(mel, expected, TensorAssert.Deep, $"{set} voice_conversion");
    }
}
