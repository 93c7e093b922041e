// Port of Vocos pretrained.py Vocos (MIT): feature extractor, backbone and head; decode runs the last two.
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>
/// The Vocos vocoder: log-mel (B, n_mels, frames) -> ConvNeXt backbone -> iSTFT head -> waveform (B, samples).
/// The feature extractor is kept for checkpoint compatibility (its buffers are in the published state dict).
/// </summary>
public sealed class Vocos : Module<Tensor, Tensor>, IVocoder
{
#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint's tensor names.
    readonly VocosMelFeatures feature_extractor;
    readonly VocosBackbone backbone;
    readonly IstftHead head;
#pragma warning restore IDE1006

    /// <summary>Builds an untrained Vocos of the given architecture (load weights with <see cref="LoadWeights"/>).</summary>
    public Vocos(VocosConfig config) : base(nameof(Vocos))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.FeatureExtractor.NMels != config.Backbone.InputChannels)
            throw new ArgumentException(
                $"Vocos config: feature_extractor.init_args.n_mels ({config.FeatureExtractor.NMels}) must equal "
                + $"backbone.init_args.input_channels ({config.Backbone.InputChannels}).", nameof(config));
        if (config.Backbone.Dim != config.Head.Dim)
            throw new ArgumentException(
                $"Vocos config: head.init_args.dim ({config.Head.Dim}) must equal backbone.init_args.dim ({config.Backbone.Dim}).", nameof(config));
        if (config.FeatureExtractor.HopLength != config.Head.HopLength)
            throw new ArgumentException(
                $"Vocos config: head.init_args.hop_length ({config.Head.HopLength}) must equal feature_extractor.init_args.hop_length "
                + $"({config.FeatureExtractor.HopLength}), one waveform hop per mel frame.", nameof(config));
        Config = config;
        feature_extractor = new VocosMelFeatures(config.FeatureExtractor);
        backbone = new VocosBackbone(config.Backbone);
        head = new IstftHead(config.Head);
        RegisterComponents();
        eval();
    }

    /// <summary>The architecture.</summary>
    public VocosConfig Config { get; }

    /// <inheritdoc/>
    public int SampleRate => Config.FeatureExtractor.SampleRate;

    /// <inheritdoc/>
    public int MelBins => Config.Backbone.InputChannels;

    /// <summary>
    /// Loads a Vocos state dict (<c>pytorch_model.bin</c> names: <c>feature_extractor.*</c>, <c>backbone.*</c>,
    /// <c>head.*</c>) strictly: every name and shape must match.
    /// </summary>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        ArgumentNullException.ThrowIfNull(state);
        string? hint = state.Keys.Any(k => k.StartsWith("f0_predictor.") || k.StartsWith("generator.") || k.StartsWith("conv_pre."))
            ? "They look like a HiFT checkpoint: load them with Vocoder.FromPretrained(\"hift\", ...)."
            : null;
        StrictStateDict.Load(this, state, source, $"Vocos (backbone dim {Config.Backbone.Dim}, {Config.Backbone.NumLayers} layers)", hint);
    }

    /// <summary>Mel (B, n_mels, frames) -> waveform (B, samples); see <see cref="Decode"/>.</summary>
    public Tensor Vocode(Tensor mel) => Decode(mel);

    /// <summary>
    /// Vocos' <c>decode</c>: features (B, n_mels, frames) -> waveform (B, samples), samples = hop * (frames - 1) with
    /// <c>center</c> padding, hop * frames with <c>same</c>. <paramref name="bandwidthId"/> (B,) int64 is required only
    /// by AdaLayerNorm-conditioned backbones.
    /// </summary>
    public Tensor Decode(Tensor mel, Tensor? bandwidthId = null)
    {
        VocoderInput.CheckMel(mel, MelBins, "Vocos", minFrames: Config.Head.Padding == "center" ? 2 : 1);
        using var noGrad = inference_mode();
        using var scope = NewDisposeScope();
        var input = VocoderInput.ToModuleDtype(mel, this, "Vocos", nameof(mel));
        return DecodeUnchecked(input, bandwidthId).MoveToOuterDisposeScope();
    }

    /// <summary>(B, n_mels, frames) -> (B, samples), without input checks or inference mode (see <see cref="Decode"/>).</summary>
    public override Tensor forward(Tensor mel) => DecodeUnchecked(mel, null);

    Tensor DecodeUnchecked(Tensor mel, Tensor? bandwidthId)
    {
        using var scope = NewDisposeScope();
        var hidden = backbone.call(mel, bandwidthId);
        return head.call(hidden).MoveToOuterDisposeScope();
    }
}
