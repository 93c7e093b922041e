using Kanade.IO;
using Kanade.Ssl;

namespace Kanade.Tests.Ssl;

/// <summary>The fixtures' tiny WavLM: its architecture from <c>model.yaml</c> and its weights from <c>ssl.safetensors</c>.</summary>
static class TinySsl
{
    /// <summary><c>ssl_feature_extractor.init_args.params</c> of a set's model.yaml.</summary>
    public static Wav2Vec2Architecture Architecture(string set) =>
        ModelConfigLoader.Load(TinyModels.Config(set)).SslFeatureExtractor.Params
        ?? throw new InvalidDataException($"{set}/model.yaml gives ssl_feature_extractor no params.");

    /// <summary>The tiny model with the set's weights loaded strictly, in eval mode.</summary>
    public static Wav2Vec2Model Load(string set)
    {
        var model = new Wav2Vec2Model(Architecture(set));
        var weights = SafeTensors.Load(Fixtures.Path(set, "ssl.safetensors"));
        CollectionAssert.AreEquivalent(weights.Keys.ToList(), model.state_dict().Keys.ToList(),
            $"{set}/ssl.safetensors names vs the model's state dict");
        model.load_state_dict(weights, strict: true);
        foreach (var tensor in weights.Values) tensor.Dispose();
        model.eval();
        return model;
    }
}
