using TorchSharp;

namespace Kanade.Tests;

/// <summary>The fixture models (tiny12: 12.5 Hz with Vocos, tiny25: 25 Hz with HiFT) from their full state dicts.</summary>
public static class TinyModels
{
    static readonly Dictionary<string, Lazy<KanadeModel>> models = Fixtures.Sets.ToDictionary(set => set, set => new Lazy<KanadeModel>(() => Load(set)));

    /// <summary>The set's <c>model.yaml</c>.</summary>
    public static string Config(string set) => Fixtures.Path(set, "model.yaml");

    /// <summary>The set's <c>model_full.safetensors</c> (SSL model included).</summary>
    public static string Weights(string set) => Fixtures.Path(set, "model_full.safetensors");

    /// <summary>The set's model, loaded once per test run, on <see cref="Fixtures.Device"/>; tests must not change it.</summary>
    public static KanadeModel Get(string set) => models[set].Value;

    /// <summary>A fresh copy of the set's model on <see cref="Fixtures.Device"/>, for tests that change it.</summary>
    public static KanadeModel Load(string set)
    {
        var model = KanadeModel.FromPretrained(Config(set), Weights(set));
        model.to(Fixtures.Device);
        return model;
    }
}
