using TorchSharp;

namespace Kanade.Tests.Model;

/// <summary>The fixture models, loaded once per test run (tiny12 and tiny25, full state dicts).</summary>
static class TinyModels
{
    static readonly Dictionary<string, Lazy<KanadeModel>> models = new()
    {
        ["tiny12"] = new(() => Load("tiny12")),
        ["tiny25"] = new(() => Load("tiny25")),
    };

    public static KanadeModel Get(string set) => models[set].Value;

    public static KanadeModel Load(string set)
    {
        var model = KanadeModel.FromPretrained(Fixtures.Path(set, "model.yaml"), Fixtures.Path(set, "model_full.safetensors"));
        model.to(Fixtures.Device);
        return model;
    }

    public static IEnumerable<object[]> SetsAndClips() =>
        from set in new[] { "tiny12", "tiny25" } from clip in Fixtures.ClipFiles select new object[] { set, clip };
}
