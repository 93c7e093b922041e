// Port of kanade-tokenizer module/ssl_extractor.py SSLFeatureExtractor (MIT).
using Kanade.Audio;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// The frozen SSL model behind Kanade: resamples the model-rate waveform to the SSL rate (16 kHz) and returns the
/// outputs of the first <c>output_layer</c> transformer layers. WavLM, wav2vec 2.0 and HuBERT all plug in here.
/// </summary>
public sealed class SslFeatureExtractor : nn.Module
{
#pragma warning disable IDE1006 // checkpoint names: ssl_feature_extractor.model.*, ssl_feature_extractor.resampler.kernel
    readonly Wav2Vec2Model model;
    readonly Resample? resampler;
#pragma warning restore IDE1006

    /// <summary>The architecture preset in use.</summary>
    public SslPreset Preset { get; }
    /// <summary>The SSL model.</summary>
    public Wav2Vec2Model Model => model;
    /// <summary>Sample rate the SSL model expects.</summary>
    public int SslSampleRate => Preset.SampleRate;
    /// <summary>Sample rate of the waveforms given to <see cref="Extract"/>.</summary>
    public int InputSampleRate { get; }
    /// <summary>Transformer layers run (the reference's <c>output_layer</c>).</summary>
    public int OutputLayers { get; }
    /// <summary>Width of every layer's features.</summary>
    public int FeatureDim => model.FeatureDim;
    /// <summary>The feature extractor's convolutions.</summary>
    public IReadOnlyList<ConvLayerSpec> ConvLayers => model.ConvLayers;
    /// <summary>SSL-rate samples per frame.</summary>
    public int HopSize => model.HopSize;

    /// <summary>Builds the extractor (random SSL weights: load a checkpoint next).</summary>
    public SslFeatureExtractor(SslFeatureExtractorOptions options) : base("SSLFeatureExtractor")
    {
        Preset = SslPresets.Resolve(options);
        InputSampleRate = options.SampleRate;
        model = Wav2Vec2Model.FromPreset(Preset);
        int layers = model.NumLayers;
        OutputLayers = options.OutputLayer is int n && n > 0 ? n : layers;
        if (OutputLayers > layers)
            throw new ArgumentException($"ssl_feature_extractor.output_layer {OutputLayers} exceeds the {layers} layers of '{options.ModelName}'.", nameof(options));
        if (InputSampleRate != SslSampleRate) resampler = new Resample(InputSampleRate, SslSampleRate);
        RegisterComponents();
    }

    /// <summary>
    /// Layer outputs for a batch: <see cref="OutputLayers"/> tensors of (B, frames, D), and the frame count of each
    /// item when <paramref name="lengths"/> is given.
    /// </summary>
    /// <param name="waveform">(B, samples) at <see cref="InputSampleRate"/>.</param>
    /// <param name="lengths">(B,) valid samples per item (at the input rate), or null when none is padded.</param>
    /// <param name="computeDtype">Dtype the SSL model runs in (its weights' dtype); resampling stays float32.</param>
    public (List<Tensor> Layers, Tensor? Frames) Extract(Tensor waveform, Tensor? lengths = null, ScalarType computeDtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        if (waveform.dim() == 1) waveform = waveform.unsqueeze(0);
        Tensor? sslLengths = lengths;
        if (resampler is not null)
        {
            waveform = resampler.call(waveform);
            // torchaudio's resampled length: ceil(new * n / orig), per item.
            if (lengths is not null)
                sslLengths = (lengths.to(ScalarType.Int64) * SslSampleRate + InputSampleRate - 1).div(InputSampleRate, RoundingMode.floor);
        }
        if (waveform.dtype != computeDtype) waveform = waveform.to(computeDtype);
        var (layers, frames) = model.ExtractFeatures(waveform, sslLengths, OutputLayers);
        var result = layers.Select(l => l.MoveToOuterDisposeScope()).ToList();
        frames?.MoveToOuterDisposeScope();
        return (result, frames);
    }
}
