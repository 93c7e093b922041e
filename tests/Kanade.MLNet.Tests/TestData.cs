// Fixture models, manifests of the fixture clips, and the direct KanadeModel results the pipelines must equal.
using System.Globalization;
using Kanade.Tests;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Kanade.MLNet.Tests;

/// <summary>Shared test data: tiny12 loaded once (through <see cref="KanadeModelReference"/>), manifests, expected outputs.</summary>
internal static class TestData
{
    static readonly Lazy<KanadeModel> tiny12 = new(() =>
        KanadeModelReference.Load(TinyModels.Config("tiny12"), TinyModels.Weights("tiny12")));
    static readonly Lazy<IVocoder> vocos = new(() =>
        VocoderReference.Load("vocos", Fixtures.Path("tiny12", "vocos_config.yaml"), Fixtures.Path("tiny12", "vocos.safetensors")));
    static readonly Lazy<Dictionary<string, Expected>> expected = new(ComputeExpected);

    /// <summary>The tiny12 fixture model.</summary>
    public static KanadeModel Tiny12 => tiny12.Value;
    /// <summary>tiny12's Vocos.</summary>
    public static IVocoder Vocos => vocos.Value;
    /// <summary>The folder of the fixture recordings.</summary>
    public static string AudioRoot => Fixtures.Path("audio");

    /// <summary>What direct KanadeModel calls give for one clip.</summary>
    public sealed record Expected(long[] Tokens, float[] GlobalEmbedding, float[] ContentEmbedding, float[] Mel, long MelFrames, int Samples);

    /// <summary>Direct results per clip file name.</summary>
    public static Dictionary<string, Expected> Direct => expected.Value;

    static Dictionary<string, Expected> ComputeExpected()
    {
        var model = Tiny12;
        var result = new Dictionary<string, Expected>();
        foreach (string clip in Fixtures.ClipFiles)
        {
            using var scope = NewDisposeScope();
            var wave = AudioFile.Load(Fixtures.Audio(clip), model.Config.SampleRate);
            var f = model.Encode(wave);
            var mel = model.Decode(f.GlobalEmbedding!, contentTokenIndices: f.ContentTokenIndices);
            result[clip] = new Expected(
                f.ContentTokenIndices!.data<long>().ToArray(), f.GlobalEmbedding!.data<float>().ToArray(),
                f.ContentEmbedding!.contiguous().data<float>().ToArray(), mel.contiguous().data<float>().ToArray(), mel.shape[1], (int)wave.shape[0]);
        }
        return result;
    }

    /// <summary>Writes a dump_dataset CSV manifest of <paramref name="clips"/> (paths relative to <see cref="AudioRoot"/>); extra names are missing files.</summary>
    public static string WriteManifest(string folder, IEnumerable<string> clips, string name = "manifest.csv")
    {
        var lines = new List<string> { "audio_id,path,length,sample_rate" };
        foreach (string clip in clips)
        {
            string file = Path.Combine(AudioRoot, clip);
            var (frames, rate) = File.Exists(file) ? (AudioFile.Info(file).Frames, AudioFile.Info(file).SampleRate) : (0L, 0);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(clip)},{clip},{frames},{rate}"));
        }
        string path = Path.Combine(folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>Reads a column of every row as an array (vectors) or value.</summary>
    public static List<T[]> Vectors<T>(IDataView data, string column)
    {
        var col = data.Schema[column];
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<T>>(col);
        var rows = new List<T[]>();
        VBuffer<T> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            rows.Add(buffer.DenseValues().ToArray());
        }
        return rows;
    }

    /// <summary>Reads a scalar column of every row.</summary>
    public static List<T> Scalars<T>(IDataView data, string column)
    {
        var col = data.Schema[column];
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<T>(col);
        var rows = new List<T>();
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value);
        }
        return rows;
    }

    /// <summary>Reads a Text column of every row.</summary>
    public static List<string> Texts(IDataView data, string column) => Scalars<ReadOnlyMemory<char>>(data, column).Select(t => t.ToString()).ToList();

    /// <summary>max|a-b| / (1 + max|b|).</summary>
    public static double RelativeDifference(float[] actual, float[] expected)
    {
        Assert.HasCount(expected.Length, actual);
        double max = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(actual[i] - (double)expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return max / (1 + scale);
    }
}

