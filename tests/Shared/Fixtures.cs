// Locates the parity fixtures made by running the Python reference (see ../../../shared/fixtures/README.md).
using Kanade.IO;
using static TorchSharp.torch;

namespace Kanade.Tests;

/// <summary>Paths to the parity fixtures and loaders for their golden tensors.</summary>
public static class Fixtures
{
    /// <summary>The six recordings every fixture set covers, by file name in <c>audio/</c>.</summary>
    public static readonly string[] ClipFiles =
    [
        "espeak_24bit_44k.flac", "espeak_default_22k.wav", "espeak_f3_stereo_16k.wav",
        "real_front_center_48k.wav", "real_rear_left_48k.wav", "short_24k.wav",
    ];

    /// <summary>The two fixture sets: <c>tiny12</c> (12.5 Hz, Vocos) and <c>tiny25</c> (25 Hz, HiFT).</summary>
    public static readonly string[] Sets = ["tiny12", "tiny25"];

    /// <summary>Every clip, as MSTest <c>DynamicData</c> rows (clip file).</summary>
    public static IEnumerable<object[]> ClipRows() => ClipFiles.Select(clip => new object[] { clip });

    /// <summary>Every clip of both sets, as MSTest <c>DynamicData</c> rows (set, clip file).</summary>
    public static IEnumerable<object[]> SetAndClipRows() =>
        from set in Sets from clip in ClipFiles select new object[] { set, clip };

    /// <summary>Device the model tests run on: $KANADE_TEST_DEVICE (e.g. <c>cuda</c>), else the CPU.</summary>
    public static TorchSharp.torch.Device Device { get; } = ChooseDevice();

    static TorchSharp.torch.Device ChooseDevice()
    {
        var device = TorchSharp.torch.device(Environment.GetEnvironmentVariable("KANADE_TEST_DEVICE") is { Length: > 0 } d ? d : "cpu");
        if (device.type == TorchSharp.DeviceType.CUDA)
        {
            // Parity is checked in true float32: no TF32 in matmuls or convolutions.
            TorchSharp.torch.backends.cuda.matmul.allow_tf32 = false;
            TorchSharp.torch.backends.cudnn.allow_tf32 = false;
        }
        return device;
    }

    /// <summary>The fixture root: $KANADE_FIXTURES, else the repository's sibling <c>shared/fixtures</c>, else <c>tests/fixtures</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path inside the fixture root; throws naming the path when it is absent.</summary>
    public static string Path(params string[] parts)
    {
        string path = System.IO.Path.Combine([Root, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"Fixture '{path}' not found. Set KANADE_FIXTURES to a copy of shared/fixtures.", path);
        return path;
    }

    /// <summary>The audio file of a clip.</summary>
    public static string Audio(string clipFile) => Path("audio", clipFile);

    /// <summary>Clip name without extension (the golden tensor file's name).</summary>
    public static string ClipName(string clipFile) => System.IO.Path.GetFileNameWithoutExtension(clipFile);

    /// <summary>Golden tensors of one clip for one set (<c>tiny12</c> or <c>tiny25</c>).</summary>
    public static Dictionary<string, Tensor> Clip(string set, string clipFile) =>
        SafeTensors.Load(Path(set, "clips", ClipName(clipFile) + ".safetensors"));

    /// <summary>Per-clip figures of fixtures.json (<c>samples</c>, <c>padding</c>, <c>num_tokens</c>...).</summary>
    public static System.Text.Json.JsonElement ClipInfo(string set, string clipFile)
    {
        var clips = Json.RootElement.GetProperty("clips").GetProperty(set).GetProperty("clips");
        string key = clipFile.EndsWith(".flac") ? ClipName(clipFile) + ".wav" : clipFile;
        return clips.GetProperty(key);
    }

    /// <summary>fixtures.json.</summary>
    public static System.Text.Json.JsonDocument Json => json.Value;
    static readonly Lazy<System.Text.Json.JsonDocument> json =
        new(() => System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path("fixtures.json"))));

    /// <summary>manifests.json: names, shapes and dtypes of the published checkpoints' tensors.</summary>
    public static System.Text.Json.JsonDocument Manifests => manifests.Value;
    static readonly Lazy<System.Text.Json.JsonDocument> manifests =
        new(() => System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path("manifests.json"))));

    /// <summary>Name -> shape of one section of manifests.json, e.g. <c>("vocos_mel_24khz")</c> or <c>("12hz", "export")</c>.</summary>
    public static Dictionary<string, long[]> ManifestShapes(params string[] section)
    {
        var element = Manifests.RootElement;
        foreach (string key in section) element = element.GetProperty(key);
        return element.EnumerateObject().ToDictionary(e => e.Name, e => e.Value[0].EnumerateArray().Select(d => d.GetInt64()).ToArray());
    }

    /// <summary>The repository root (the folder holding Kanade.MLNet.sln; $KANADE_REPO when the tests run outside a checkout).</summary>
    public static string RepoRoot => repoRoot.Value;
    static readonly Lazy<string> repoRoot = new(FindRepoRoot);

    static string FindRepoRoot()
    {
        string? env = Environment.GetEnvironmentVariable("KANADE_REPO");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Kanade.MLNet.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"Kanade.MLNet.sln not found above {AppContext.BaseDirectory}; outside a checkout, set KANADE_REPO to one.");
    }

    static string FindRoot()
    {
        string? env = Environment.GetEnvironmentVariable("KANADE_FIXTURES");
        if (!string.IsNullOrEmpty(env)) return env;
        string repo = FindRepoRoot();
        string shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(repo, "..", "shared", "fixtures"));
        if (File.Exists(System.IO.Path.Combine(shared, "fixtures.json"))) return shared;
        return System.IO.Path.Combine(repo, "tests", "fixtures");
    }
}
