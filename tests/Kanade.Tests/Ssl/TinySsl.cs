using System.Globalization;
using Kanade.IO;
using Kanade.Ssl;
using YamlDotNet.RepresentationModel;
using static TorchSharp.torch;

namespace Kanade.Tests.Ssl;

/// <summary>The fixtures' tiny WavLM: its architecture from <c>model.yaml</c> and its weights from <c>ssl.safetensors</c>.</summary>
static class TinySsl
{
    public static readonly string[] Sets = ["tiny12", "tiny25"];

    /// <summary><c>ssl_feature_extractor.init_args.params</c> of a set's model.yaml, mapped key by key (snake_case -> PascalCase).</summary>
    public static Wav2Vec2Architecture Architecture(string set)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(Fixtures.Path(set, "model.yaml"))) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var parameters = (YamlMappingNode)Child(Child(Child(Child(Child(root, "model"), "init_args"), "ssl_feature_extractor"), "init_args"), "params");
        object architecture = new Wav2Vec2Architecture();
        foreach (var (keyNode, valueNode) in parameters.Children)
        {
            string key = ((YamlScalarNode)keyNode).Value!;
            string property = string.Concat(key.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            var info = typeof(Wav2Vec2Architecture).GetProperty(property)
                ?? throw new InvalidDataException($"model.yaml params key '{key}' has no Wav2Vec2Architecture property '{property}'.");
            info.SetValue(architecture, Convert(valueNode, info.PropertyType));
        }
        return (Wav2Vec2Architecture)architecture;
    }

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

    static YamlNode Child(YamlNode node, string key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    static object? Convert(YamlNode node, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (node is YamlScalarNode scalar)
        {
            string? text = scalar.Value;
            if (text is null or "null" or "~") return null;
            if (underlying == typeof(int)) return int.Parse(text, CultureInfo.InvariantCulture);
            if (underlying == typeof(double)) return double.Parse(text, CultureInfo.InvariantCulture);
            if (underlying == typeof(bool)) return bool.Parse(text);
            if (underlying == typeof(string)) return text;
        }
        if (node is YamlSequenceNode sequence && type == typeof(IReadOnlyList<IReadOnlyList<int>>))
            return sequence.Children
                .Select(row => (IReadOnlyList<int>)((YamlSequenceNode)row).Children
                    .Select(v => int.Parse(((YamlScalarNode)v).Value!, CultureInfo.InvariantCulture)).ToArray())
                .ToArray();
        throw new InvalidDataException($"Cannot read YAML node {node} as {type.Name}.");
    }
}
