// Port of Vocos pretrained.py Vocos (MIT): feature extractor, backbone and head; decode runs the last two.
using Kanade.Audio;
using Kanade.IO;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>
/// The Vocos vocoder: log-mel (B, n_mels, frames) -> ConvNeXt backbone -> iSTFT head -> waveform (B, samples).
/// The feature extractor (Vocos-style <see cref="MelSpectrogramFeature"/>, whose window and filterbank buffers are in
/// the published state dict) gives the features for copy-synthesis (<see cref="Resynthesize"/>).
/// </summary>
public sealed class Vocos : Module<Tensor, Tensor>, IVocoder
{
#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint's tensor names.
    readonly MelSpectrogramFeature feature_extractor;
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
        var features = config.FeatureExtractor;
        feature_extractor = new MelSpectrogramFeature(features.SampleRate, features.NFft, features.HopLength, features.NMels, features.Padding);
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
    /// <exception cref="InvalidDataException">The tensors are another vocoder's (HiFT's).</exception>
    /// <exception cref="WeightLoadException">Some tensor is missing, unexpected or mis-shaped; nothing was loaded.</exception>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        ArgumentNullException.ThrowIfNull(state);
        VocoderWeights.RejectOtherVocoder(state, source, "Vocos", ["backbone.", "head.", "feature_extractor."],
            "HiFT", ["f0_predictor.", "conv_pre.", "m_source.", "generator."], "hift");
        StateDictLoader.Load(this, state, new StateDictLoadOptions { SourceName = source });
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

    /// <summary>
    /// Vocos' log-mel features of a waveform at <see cref="SampleRate"/>: (B, samples) -> (B, n_mels, frames), the input
    /// that <see cref="Decode"/> inverts.
    /// </summary>
    public Tensor Features(Tensor waveform)
    {
        ArgumentNullException.ThrowIfNull(waveform);
        if (waveform.dim() != 2 || waveform.shape[0] < 1 || waveform.shape[1] < Config.FeatureExtractor.NFft)
            throw new ArgumentException(
                $"Vocos features need a waveform of shape (batch, samples >= n_fft = {Config.FeatureExtractor.NFft}); got [{string.Join(", ", waveform.shape)}].", nameof(waveform));
        using var noGrad = inference_mode();
        using var scope = NewDisposeScope();
        var input = VocoderInput.ToModuleDtype(waveform, this, "Vocos", nameof(waveform));
        return feature_extractor.call(input).MoveToOuterDisposeScope();
    }

    /// <summary>Vocos' <c>forward</c>, copy-synthesis: waveform (B, samples) -> features -> waveform (B, samples').</summary>
    public Tensor Resynthesize(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        return Decode(Features(waveform)).MoveToOuterDisposeScope();
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
