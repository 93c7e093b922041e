// The tiny fixture model laid out as a published model folder, and the outputs the notebooks show.
using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Kanade.Tests;

namespace Kanade.MLNet.Tests.Notebooks;

/// <summary>Paths and environment for running the notebooks on the tiny12 fixture model, and readers for their outputs.</summary>
internal static partial class NotebookFixture
{
    /// <summary>The repository's <c>notebooks/</c> folder.</summary>
    public static string Folder => Path.Combine(Fixtures.RepoRoot, "notebooks");

    /// <summary>A notebook by file name.</summary>
    public static string Notebook(string name) => Path.Combine(Folder, name);

    /// <summary>
    /// Creates in <paramref name="folder"/> what <c>KanadeModel.FromPretrained(folder)</c> reads, <c>config.yaml</c> and
    /// <c>model.safetensors</c>, linked to tiny12's config and full weights (SSL model included, so nothing is downloaded).
    /// </summary>
    public static string Tiny12ModelFolder(string folder)
    {
        string model = Directory.CreateDirectory(Path.Combine(folder, "tiny12")).FullName;
        File.CreateSymbolicLink(Path.Combine(model, "config.yaml"), Fixtures.Path("tiny12", "model.yaml"));
        File.CreateSymbolicLink(Path.Combine(model, "model.safetensors"), Fixtures.Path("tiny12", "model_full.safetensors"));
        return model;
    }

    /// <summary>
    /// The environment that points a notebook's model cell at tiny12, its Vocos and training YAML, with the hub offline
    /// and the temporary folder (where the notebooks write their outputs) inside <paramref name="folder"/>, so that runs
    /// side by side do not share files.
    /// </summary>
    public static Dictionary<string, string?> Tiny12Environment(string folder) => new()
    {
        ["TMPDIR"] = Directory.CreateDirectory(Path.Combine(folder, "tmp")).FullName,
        ["KANADE_NOTEBOOK_MODEL"] = Tiny12ModelFolder(folder),
        ["KANADE_NOTEBOOK_VOCODER"] = Fixtures.Path("tiny12"),
        ["KANADE_NOTEBOOK_TRAIN_CONFIG"] = Fixtures.Path("tiny12", "train.yaml"),
        ["HF_HUB_OFFLINE"] = "1",
    };

    /// <summary>The PNG images (data URIs of &lt;img&gt; elements) in HTML outputs.</summary>
    public static List<byte[]> PngImages(IEnumerable<string> html) =>
        html.SelectMany(h => PngSource().Matches(h)).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();

    /// <summary>The WAV files (data URIs of &lt;audio&gt; elements) in HTML outputs.</summary>
    public static List<byte[]> WavFiles(IEnumerable<string> html) =>
        html.SelectMany(h => WavSource().Matches(h)).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();

    /// <summary>The SVG elements in HTML outputs.</summary>
    public static List<string> SvgImages(IEnumerable<string> html) =>
        html.SelectMany(h => SvgElement().Matches(h)).Select(m => m.Value).ToList();

    /// <summary>Width and height from a PNG's IHDR chunk, after checking the signature.</summary>
    public static (int Width, int Height) PngSize(byte[] png)
    {
        CollectionAssert.AreEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8], "PNG signature");
        Assert.AreEqual("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    /// <summary>Frames and sample rate of a WAV file, read back through libsndfile.</summary>
    public static (long Frames, int SampleRate) WavInfo(byte[] wav)
    {
        string file = Path.Combine(Path.GetTempPath(), $"kanade-notebook-test-{Guid.NewGuid():N}.wav");
        File.WriteAllBytes(file, wav);
        try
        {
            var info = AudioFile.Info(file);
            return (info.Frames, info.SampleRate);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex("""<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" """)]
    private static partial Regex PngSource();

    [GeneratedRegex("""<audio controls src="data:audio/wav;base64,([A-Za-z0-9+/=]+)">""")]
    private static partial Regex WavSource();

    [GeneratedRegex("<svg[\\s\\S]*?</svg>")]
    private static partial Regex SvgElement();
}
