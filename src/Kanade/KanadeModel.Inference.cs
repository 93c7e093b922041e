// Port of kanade-tokenizer model.py encode / decode / voice_conversion (MIT).
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade;

public sealed partial class KanadeModel
{
    /// <summary>
    /// Content tokens, content embedding and global embedding of one utterance.
    /// </summary>
    /// <param name="waveform">(samples,) float waveform at <see cref="KanadeModelConfig.SampleRate"/>, on the model's device.</param>
    /// <param name="returnContent">Compute the content tokens and embedding.</param>
    /// <param name="returnGlobal">Compute the global embedding.</param>
    /// <returns>ContentTokenIndices int64 (T,), ContentEmbedding (T, D), GlobalEmbedding (D_global,); parts not asked for are null.</returns>
    public KanadeFeatures Encode(Tensor waveform, bool returnContent = true, bool returnGlobal = true)
    {
        CheckWaveform(waveform, nameof(waveform));
        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        int padding = WaveformPadding(waveform.shape[0]);
        var (local, global) = ForwardSslFeatures(OnDevice(waveform).unsqueeze(0), padding);
        Tensor? indices = null, embedding = null, globalEmbedding = null;
        if (returnContent)
        {
            var (quantized, ids, _, _) = ForwardContent(local, reconstructFeatures: false);
            embedding = quantized.squeeze(0).MoveToOuterDisposeScope();  // (1, T, D) -> (T, D)
            indices = ids.squeeze(0).MoveToOuterDisposeScope();          // (1, T) -> (T,)
        }
        if (returnGlobal) globalEmbedding = ForwardGlobal(global).squeeze(0).MoveToOuterDisposeScope(); // (1, D) -> (D,)
        return new KanadeFeatures(indices, embedding, globalEmbedding);
    }

    /// <summary>Zeros the reference pads on each side of a waveform of <paramref name="samples"/> samples before the SSL model.</summary>
    public int WaveformPadding(long samples) => KanadeLengths.WaveformPadding(samples, Config.SampleRate,
        ssl_feature_extractor.SslSampleRate, ssl_feature_extractor.ConvLayers);

    /// <summary>SSL frames the model sees for a waveform of <paramref name="samples"/> samples (padded, then resampled).</summary>
    public long SslFrameCount(long samples) => KanadeLengths.SslFrameCount(samples, Config.SampleRate,
        ssl_feature_extractor.SslSampleRate, ssl_feature_extractor.ConvLayers);

    /// <summary>Waveform length that <paramref name="tokenCount"/> tokens stand for.</summary>
    public long OriginalAudioLength(long tokenCount) => KanadeLengths.OriginalAudioLength(tokenCount, Config.SampleRate,
        ssl_feature_extractor.SslSampleRate, ssl_feature_extractor.ConvLayers, Config.DownsampleFactor);

    /// <summary>Mel frames for a waveform of <paramref name="samples"/> samples.</summary>
    public long TargetMelLength(long samples) => KanadeLengths.TargetMelLength(samples, Config.HopLength, Config.NFft, Config.Padding);

    /// <summary>Content embeddings of token ids: (..., T) int64 -> (..., T, D). Ids must lie in [0, vocabulary).</summary>
    public Tensor DecodeTokenIndices(Tensor indices)
    {
        using var _ = inference_mode();
        return local_quantizer.Decode(OnDevice(indices));
    }

    /// <summary>
    /// Mel spectrogram (n_mels, frames) from a global embedding and content tokens or content embedding
    /// (the embedding wins when both are given).
    /// </summary>
    /// <param name="globalEmbedding">(D_global,) global embedding.</param>
    /// <param name="contentTokenIndices">(T,) int64 token ids, or null.</param>
    /// <param name="contentEmbedding">(T, D) content embedding, or null.</param>
    /// <param name="targetAudioLength">Samples of the audio to reconstruct; null to estimate it from the token count.</param>
    public Tensor Decode(Tensor globalEmbedding, Tensor? contentTokenIndices = null, Tensor? contentEmbedding = null, long? targetAudioLength = null)
    {
        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        if (contentEmbedding is null)
        {
            if (contentTokenIndices is null) throw new ArgumentException("Either contentTokenIndices or contentEmbedding must be given.");
            CheckDecodeInputs(globalEmbedding, contentTokenIndices, "");
            contentEmbedding = local_quantizer.Decode(OnDevice(contentTokenIndices).to(ScalarType.Int64));
        }
        else
        {
            CheckGlobalEmbedding(globalEmbedding, "globalEmbedding");
            if (contentEmbedding.dim() != 2 || contentEmbedding.shape[1] != ContentDim || contentEmbedding.shape[0] == 0)
                throw new ArgumentException($"contentEmbedding must have shape (T > 0, {ContentDim}), got ({string.Join(", ", contentEmbedding.shape)}).", nameof(contentEmbedding));
        }
        long audioLength = targetAudioLength ?? OriginalAudioLength(contentEmbedding.shape[0]);
        var mel = ForwardMel(OnDevice(contentEmbedding).unsqueeze(0), OnDevice(globalEmbedding).unsqueeze(0), TargetMelLength(audioLength));
        return mel.squeeze(0).MoveToOuterDisposeScope(); // (1, n_mels, T) -> (n_mels, T)
    }

    /// <summary>Mel spectrogram (n_mels, frames) of <paramref name="source"/>'s content spoken with <paramref name="reference"/>'s global embedding.</summary>
    /// <param name="source">(samples,) waveform whose content is kept.</param>
    /// <param name="reference">(samples_ref,) waveform whose speaker and recording conditions are taken.</param>
    public Tensor VoiceConversion(Tensor source, Tensor reference)
    {
        using var content = Encode(source, returnContent: true, returnGlobal: false);
        using var speaker = Encode(reference, returnContent: false, returnGlobal: true);
        return Decode(speaker.GlobalEmbedding!, contentEmbedding: content.ContentEmbedding, targetAudioLength: source.shape[0]);
    }

    void CheckGlobalEmbedding(Tensor globalEmbedding, string name)
    {
        if (globalEmbedding.dim() != 1 || globalEmbedding.shape[0] != GlobalDim)
            throw new ArgumentException($"{name} must have shape ({GlobalDim},), got ({string.Join(", ", globalEmbedding.shape)}).", name);
    }

    void CheckDecodeInputs(Tensor globalEmbedding, Tensor contentTokenIndices, string index)
    {
        CheckGlobalEmbedding(globalEmbedding, "globalEmbedding" + index);
        string name = "contentTokenIndices" + index;
        if (contentTokenIndices.dim() != 1)
            throw new ArgumentException($"{name} must have shape (T,), got ({string.Join(", ", contentTokenIndices.shape)}).", name);
        if (contentTokenIndices.shape[0] == 0) throw new ArgumentException($"{name} is empty: nothing to decode.", name);
        if (contentTokenIndices.is_floating_point()) throw new ArgumentException($"{name} must hold integer token ids, got {contentTokenIndices.dtype}.", name);
    }

    void CheckWaveform(Tensor waveform, string name, bool checkFinite = true)
    {
        if (waveform.dim() != 1)
            throw new ArgumentException($"{name} must be 1-D (samples,), got shape ({string.Join(", ", waveform.shape)}); for a batch use EncodeBatch, for stereo average the channels.", name);
        if (!waveform.is_floating_point())
            throw new ArgumentException($"{name} must be a floating-point waveform, got {waveform.dtype}.", name);
        if (waveform.shape[0] < MinimumSamples)
            throw new ArgumentException($"{name} has {waveform.shape[0]} samples; the model needs at least {MinimumSamples} " +
                $"({MinimumSamples / (double)Config.SampleRate * 1000:F1} ms at {Config.SampleRate} Hz) to produce one token.", name);
        if (checkFinite && !isfinite(waveform).all().item<bool>())
            throw new ArgumentException($"{name} contains NaN or infinite samples.", name);
    }

    /// <summary>Throws naming the first item whose flag in <paramref name="finite"/> (B,) is false.</summary>
    static void CheckFinite(Tensor finite)
    {
        if (finite.all().item<bool>()) return;
        long item = finite.logical_not().nonzero()[0, 0].item<long>();
        throw new ArgumentException($"waveforms[{item}] contains NaN or infinite samples.", "waveforms");
    }
}
