// Port of kanade-tokenizer module/hift.py HiFTGenerator.__init__ arguments (MIT; from CosyVoice 2, Apache-2.0).
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kanade.Vocoders;

/// <summary>
/// The keyword arguments of <c>HiFTGenerator</c>; the defaults are CosyVoice 2's vocoder (<c>hift.pt</c>). As JSON, the
/// keys are the Python names (<c>base_channels</c>, <c>upsample_rates</c>...).
/// </summary>
public sealed record HiftOptions
{
    /// <summary>Mel bins in.</summary>
    public int InChannels { get; init; } = 80;
    /// <summary>Channels after <c>conv_pre</c>; halved by every up-sampling stage.</summary>
    public int BaseChannels { get; init; } = 512;
    /// <summary>Harmonics above the fundamental in the sine source.</summary>
    public int NbHarmonics { get; init; } = 8;
    /// <summary>Output sample rate in Hz.</summary>
    public int SamplingRate { get; init; } = 24000;
    /// <summary>Sine amplitude of the source.</summary>
    public double NsfAlpha { get; init; } = 0.1;
    /// <summary>Noise standard deviation in voiced regions.</summary>
    public double NsfSigma { get; init; } = 0.003;
    /// <summary>F0 (Hz) above which a sample counts as voiced.</summary>
    public double NsfVoicedThreshold { get; init; } = 10;
    /// <summary>ConvTranspose1d strides.</summary>
    public IReadOnlyList<int> UpsampleRates { get; init; } = [8, 5, 3];
    /// <summary>ConvTranspose1d kernel sizes, one per up-sampling stage.</summary>
    public IReadOnlyList<int> UpsampleKernelSizes { get; init; } = [16, 11, 7];
    /// <summary>FFT size of the output (and source) STFT.</summary>
    public int IstftNFft { get; init; } = 16;
    /// <summary>Hop length of the output (and source) STFT.</summary>
    public int IstftHopLen { get; init; } = 4;
    /// <summary>Kernel sizes of the residual blocks after each up-sampling stage.</summary>
    public IReadOnlyList<int> ResblockKernelSizes { get; init; } = [3, 7, 11];
    /// <summary>Dilations of those residual blocks, one list per kernel size.</summary>
    public IReadOnlyList<IReadOnlyList<int>> ResblockDilationSizes { get; init; } = [[1, 3, 5], [1, 3, 5], [1, 3, 5]];
    /// <summary>Kernel sizes of the source residual blocks, one per up-sampling stage.</summary>
    public IReadOnlyList<int> SourceResblockKernelSizes { get; init; } = [7, 7, 11];
    /// <summary>Dilations of the source residual blocks, one list per stage.</summary>
    public IReadOnlyList<IReadOnlyList<int>> SourceResblockDilationSizes { get; init; } = [[1, 3, 5], [1, 3, 5], [1, 3, 5]];
    /// <summary>LeakyReLU slope before each up-sampling.</summary>
    public double LreluSlope { get; init; } = 0.1;
    /// <summary>Output samples are clamped to +-this.</summary>
    public double AudioLimit { get; init; } = 0.99;
    /// <summary>Channels of the F0 predictor's convolutions.</summary>
    public int F0PredictorChannels { get; init; } = 512;

    /// <summary>CosyVoice 2's vocoder, the one <c>25hz_clean</c> uses.</summary>
    public static HiftOptions CosyVoice2 { get; } = new();

    /// <summary>Output samples per mel frame: the product of the up-sampling rates times the iSTFT hop.</summary>
    [JsonIgnore]
    public int SamplesPerFrame => UpsampleRates.Aggregate(1, (a, b) => a * b) * IstftHopLen;

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads a JSON object of <c>HiFTGenerator</c> keyword arguments; absent keys keep the CosyVoice 2 defaults.</summary>
    public static HiftOptions Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"HiFT config '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses a JSON object of <c>HiFTGenerator</c> keyword arguments; <paramref name="source"/> names it in errors.</summary>
    public static HiftOptions Parse(string json, string source = "hift_config.json")
    {
        try
        {
            return JsonSerializer.Deserialize<HiftOptions>(json, Json)
                ?? throw new InvalidDataException($"HiFT config '{source}' is null; expected an object of HiFTGenerator arguments.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"HiFT config '{source}': {e.Message} Accepted keys: {string.Join(", ", AcceptedKeys)}.", e);
        }
    }

    static IEnumerable<string> AcceptedKeys => typeof(HiftOptions).GetProperties()
        .Where(p => p.CanWrite && p.GetCustomAttributes(typeof(JsonIgnoreAttribute), false).Length == 0)
        .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name));
}
