// Port of torchaudio models/wav2vec2/model.py Wav2Vec2Model, wav2vec2_model and wavlm_model (BSD-2-Clause).
using Kanade.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// wav2vec 2.0 / HuBERT / WavLM as torchaudio builds them (<c>wav2vec2_model</c>, <c>wavlm_model</c>), with
/// torchaudio's parameter names: the convolutional feature extractor, the feature projection, the convolutional
/// positional embedding and the transformer layers (WavLM's with the gated relative position bias).
/// </summary>
/// <remarks>
/// Padded batches: with <c>lengths</c>, padded keys are masked out of attention for every model (torchaudio's
/// WavLM rejects a mask), and the first extractor GroupNorm and the waveform normalisation of the large bundles
/// take their statistics over each item's valid samples only, so every item's valid frames equal those of the
/// item run alone (torchaudio includes the padding there). Without lengths, results match torchaudio's.
/// </remarks>
public sealed class Wav2Vec2Model : nn.Module<Tensor, Tensor>
{
    readonly IReadOnlyList<ConvLayerSpec> convLayers;

#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly ConvFeatureExtractor feature_extractor;
    readonly Wav2Vec2Encoder encoder;
    readonly Dense? aux;
#pragma warning restore IDE1006

    /// <summary>Builds the model with random weights, in training mode as a new PyTorch module is.</summary>
    /// <param name="architecture">torchaudio's <c>wav2vec2_model</c>/<c>wavlm_model</c> keyword arguments; WavLM when <see cref="Wav2Vec2Architecture.EncoderNumBuckets"/> is set.</param>
    /// <param name="normalizeWaveform">Layer-normalise each waveform first, as torchaudio's large bundles do.</param>
    /// <exception cref="ArgumentException">An architecture value is invalid (the message names the keyword argument).</exception>
    public Wav2Vec2Model(Wav2Vec2Architecture architecture, bool normalizeWaveform = false) : base(nameof(Wav2Vec2Model))
    {
        Wav2Vec2ArchitectureRules.Validate(architecture);
        Architecture = architecture;
        NormalizeWaveform = normalizeWaveform;
        convLayers = SslFrameArithmetic.ConvLayers(architecture);
        var a = architecture;

        feature_extractor = new ConvFeatureExtractor(convLayers, a.ExtractorMode, a.ExtractorConvBias);
        var layers = Enumerable.Range(0, a.EncoderNumLayers).Select(i => new EncoderLayer(
            CreateAttention(a, isFirstLayer: i == 0),
            a.EncoderDropout,
            a.EncoderLayerNormFirst,
            new FeedForward(a.EncoderEmbedDim, a.EncoderFfIntermFeatures, a.EncoderFfIntermDropout, a.EncoderDropout)));
        var transformer = new Wav2Vec2Transformer(
            new ConvolutionalPositionalEmbedding(a.EncoderEmbedDim, a.EncoderPosConvKernel, a.EncoderPosConvGroups),
            a.EncoderEmbedDim, a.EncoderDropout, layers, a.EncoderLayerNormFirst, a.EncoderLayerDrop);
        encoder = new Wav2Vec2Encoder(
            new FeatureProjection(convLayers[^1].Channels, a.EncoderEmbedDim, a.EncoderProjectionDropout), transformer);
        aux = a.AuxNumOut is int outputs ? new Dense(a.EncoderEmbedDim, outputs) : null;
        RegisterComponents();
    }

    /// <summary>Builds a preset's model with random weights, in eval mode.</summary>
    public static Wav2Vec2Model FromPreset(SslPreset preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var model = new Wav2Vec2Model(preset.Architecture, preset.NormalizeWaveform);
        model.eval();
        return model;
    }

    /// <summary>The architecture the model was built from.</summary>
    public Wav2Vec2Architecture Architecture { get; }

    /// <summary>Whether each waveform is layer-normalised before the feature extractor.</summary>
    public bool NormalizeWaveform { get; }

    /// <summary>True for WavLM (gated relative position bias).</summary>
    public bool IsWavLM => Architecture.EncoderNumBuckets is not null;

    /// <summary>Width D of every layer's output.</summary>
    public int FeatureDim => Architecture.EncoderEmbedDim;

    /// <summary>Number of transformer layers.</summary>
    public int NumLayers => encoder.LayerCount;

    /// <summary>The feature extractor's convolutions, first to last.</summary>
    public IReadOnlyList<ConvLayerSpec> ConvLayers => convLayers;

    /// <summary>Input samples per output frame (320 for every published model).</summary>
    public int HopSize => SslFrameArithmetic.HopSize(convLayers);

    /// <summary>The fewest samples that produce <paramref name="desiredFrames"/> frames (400 + 320 (n - 1) for the published models).</summary>
    public long GetMinimumInputLength(long desiredFrames) => SslFrameArithmetic.MinimumInputLength(convLayers, desiredFrames);

    /// <summary>Frames produced from <paramref name="samples"/> input samples (0 when too short for one frame).</summary>
    public long GetOutputFrames(long samples) => SslFrameArithmetic.OutputFrames(convLayers, samples);

    /// <summary>
    /// The outputs of the first <paramref name="numLayers"/> transformer layers (all when null), as torchaudio's
    /// <c>extract_features</c>: for post-norm models after each layer's final LayerNorm, for pre-norm models the
    /// raw residual stream (the encoder's closing LayerNorm is not applied). Runs without gradients (the SSL
    /// model is frozen), in the module's current mode.
    /// </summary>
    /// <param name="waveforms">(B, T) float waveforms at the model's sample rate.</param>
    /// <param name="lengths">Valid samples per item (B,), integer, or null when every item fills T. Best on the CPU
    /// (with the waveforms anywhere): lengths on a GPU are read back to the host once, a wait for the work queued before.</param>
    /// <param name="numLayers">How many layers to run, 1..<see cref="NumLayers"/>; null for all.</param>
    /// <returns>Layers: one (B, frames, D) tensor per layer, first layer first; Lengths: valid frames per item (B,), int64, when lengths were given.</returns>
    /// <exception cref="ArgumentException">Bad shapes or dtypes, or fewer samples than one frame needs.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numLayers"/> is outside 1..<see cref="NumLayers"/>.</exception>
    public (IReadOnlyList<Tensor> Layers, Tensor? Lengths) ExtractFeatures(Tensor waveforms, Tensor? lengths = null, int? numLayers = null)
    {
        int count = numLayers ?? NumLayers;
        if (count < 1 || count > NumLayers)
            throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, $"numLayers must be between 1 and {NumLayers}.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (features, frameLengths, hostFrames) = Extract(waveforms, lengths);
        var layers = encoder.ExtractFeatures(features, hostFrames, count);
        foreach (var layer in layers) layer.MoveToOuterDisposeScope();
        return (layers, frameLengths?.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The whole encoder (the closing LayerNorm of pre-norm models included) and the CTC head when the architecture
    /// has one: (B, T) -> (B, frames, D or aux_num_out), with valid frames per item when lengths were given.
    /// </summary>
    public (Tensor Output, Tensor? Lengths) Forward(Tensor waveforms, Tensor? lengths)
    {
        using var scope = NewDisposeScope();
        var (features, frameLengths, hostFrames) = Extract(waveforms, lengths);
        var x = encoder.call(features, hostFrames);
        if (aux is not null) x = aux.call(x);
        return (x.MoveToOuterDisposeScope(), frameLengths?.MoveToOuterDisposeScope());
    }

    /// <summary>(B, T) -> (B, frames, D or aux_num_out); see <see cref="Forward(Tensor, Tensor?)"/>.</summary>
    public override Tensor forward(Tensor waveforms) => Forward(waveforms, null).Output;

    /// <summary>Features, and with lengths the valid frames per item, on the device and on the host.</summary>
    (Tensor Features, Tensor? Lengths, long[]? HostFrames) Extract(Tensor waveforms, Tensor? lengths)
    {
        ValidateInput(waveforms, lengths);
        long[]? hostFrames = null;
        if (lengths is not null)
        {
            // Attention masks padded keys from the frame counts on the host (KeyPadding). Lengths on the CPU cost the
            // device nothing; lengths on a GPU are read back once, here, before any of the pass is queued.
            lengths = lengths.to(ScalarType.Int64);
            using (var host = lengths.cpu().contiguous())
                hostFrames = [.. host.data<long>().Select(n => GetOutputFrames(Math.Max(0, n)))];
            lengths = HostValues.ToDevice(lengths, waveforms.device);
        }
        if (NormalizeWaveform) waveforms = MaskedNormalization.WaveformLayerNorm(waveforms, lengths);
        var (features, frames) = feature_extractor.call(waveforms, lengths);
        return (features, frames, hostFrames);
    }

    void ValidateInput(Tensor waveforms, Tensor? lengths)
    {
        ArgumentNullException.ThrowIfNull(waveforms);
        if (waveforms.dim() != 2)
            throw new ArgumentException(
                $"waveforms has shape [{string.Join(", ", waveforms.shape)}]; expected 2-D (batch, samples).", nameof(waveforms));
        if (!waveforms.is_floating_point())
            throw new ArgumentException($"waveforms has dtype {waveforms.dtype}; expected a floating-point dtype.", nameof(waveforms));
        long minimum = GetMinimumInputLength(1);
        if (waveforms.shape[1] < minimum)
            throw new ArgumentException(
                $"waveforms has {waveforms.shape[1]} samples; the feature extractor needs at least {minimum} for one frame.",
                nameof(waveforms));
        if (lengths is null) return;
        if (lengths.dim() != 1 || lengths.shape[0] != waveforms.shape[0])
            throw new ArgumentException(
                $"lengths has shape [{string.Join(", ", lengths.shape)}]; expected [{waveforms.shape[0]}] (one per batch item).", nameof(lengths));
        if (lengths.is_floating_point() || lengths.is_complex() || lengths.dtype == ScalarType.Bool)
            throw new ArgumentException($"lengths has dtype {lengths.dtype}; expected an integer dtype.", nameof(lengths));
    }

    static EncoderSelfAttention CreateAttention(Wav2Vec2Architecture a, bool isFirstLayer) =>
        a.EncoderNumBuckets is int buckets
            ? new WavLMSelfAttention(a.EncoderEmbedDim, a.EncoderNumHeads, buckets, a.EncoderMaxDistance!.Value,
                a.EncoderAttentionDropout, hasRelativeAttentionBias: isFirstLayer)
            : new SelfAttention(a.EncoderEmbedDim, a.EncoderNumHeads, a.EncoderAttentionDropout);
}
