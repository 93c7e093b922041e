using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade;

public sealed partial class KanadeModel
{
    /// <summary>
    /// <see cref="Encode"/> for many utterances in one forward pass: waveforms are padded to the longest (a little
    /// further when they differ, so that the device meets few shapes: <see cref="KanadeLengths.BatchLength(long)"/>) and
    /// every stage masks the padding (WavLM key padding and extractor statistics, time normalisation, windowed
    /// attention, ConvNeXt convolutions, attentive pooling), so each result equals that utterance's own
    /// <see cref="Encode"/> up to float rounding. Sort by length before calling to keep padding small.
    /// </summary>
    /// <param name="waveforms">(samples,) waveforms at <see cref="KanadeModelConfig.SampleRate"/>, on the model's device.</param>
    /// <param name="returnContent">Compute content tokens and embeddings.</param>
    /// <param name="returnGlobal">Compute global embeddings.</param>
    /// <param name="resultDevice">Where the results go (the model's device when null); the CPU gets them in one copy per output, not one per item.</param>
    /// <param name="returnContentEmbedding">With <paramref name="returnContent"/>, also return the quantized content embeddings
    /// (false: token ids only, which spares a bulk tokenizer copying (B, T, D) floats back).</param>
    /// <remarks>
    /// On CUDA, CPU waveforms in pinned memory (<see cref="Tensor.pin_memory"/>) cross to the device without blocking
    /// this thread and are padded there; pageable ones are padded on the host first and cross in one pinned copy.
    /// </remarks>
    public IReadOnlyList<KanadeFeatures> EncodeBatch(IReadOnlyList<Tensor> waveforms, bool returnContent = true, bool returnGlobal = true,
                                                     Device? resultDevice = null, bool returnContentEmbedding = true)
    {
        ArgumentNullException.ThrowIfNull(waveforms);
        for (int i = 0; i < waveforms.Count; i++) CheckWaveform(waveforms[i], $"waveforms[{i}]", checkFinite: false);
        if (waveforms.Count == 0) return [];
        if (waveforms.Count == 1)
        {
            using var single = Encode(waveforms[0], returnContent, returnGlobal);
            Tensor? Move(Tensor? t) => t is null ? null : resultDevice is null ? t.alias() : t.to(resultDevice);
            return [new KanadeFeatures(Move(single.ContentTokenIndices), returnContentEmbedding ? Move(single.ContentEmbedding) : null, Move(single.GlobalEmbedding))];
        }

        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        // Each item keeps its own reference padding; the batch's extra zeros go on the right, up to a length of few
        // distinct values when the items differ (KanadeLengths.BatchLength). The batch is built where the waveforms
        // are (usually the CPU, beside the decoders) and crosses to the device in one copy.
        int[] paddings = waveforms.Select(w => WaveformPadding(w.shape[0])).ToArray();
        long[] padded = waveforms.Select((w, i) => w.shape[0] + 2L * paddings[i]).ToArray();
        long longest = KanadeLengths.BatchSamples(padded, Config.SampleRate, ssl_feature_extractor.SslSampleRate,
            ssl_feature_extractor.ConvLayers);
        bool ragged = padded.Any(p => p != longest);
        var batch = PaddedBatch(waveforms, paddings, longest); // (B, longest) on the device
        // Checked when the results are read (the one wait at the end), not here: a wait now would idle the device.
        var finite = isfinite(batch).all(1);

        // Frame counts follow from the lengths on the host: no device round trip in the middle of the pass. The lengths
        // go in as a CPU tensor, so that WavLM knows its padded keys on the host too (Wav2Vec2Model.ExtractFeatures).
        long[] frameCounts = waveforms.Select(w => SslFrameCount(w.shape[0])).ToArray();
        var lengths = ragged ? tensor(padded) : null;
        var (local, global, _) = ForwardSslFeaturesWithFrames(batch, 0, lengths);
        var valid = ragged ? ValidMask(HostValuesOnDevice(frameCounts), local.shape[1]) : null;

        Tensor? quantized = null, indices = null, globals = null;
        if (returnContent) (quantized, indices, _, _) = ForwardContent(local, valid, reconstructFeatures: false);
        if (!returnContentEmbedding) quantized = null;
        if (returnGlobal) globals = ForwardGlobal(global, valid);

        CheckFinite(finite);
        if (resultDevice is not null)
        {
            indices = indices?.to(resultDevice);
            quantized = quantized?.to(resultDevice);
            globals = globals?.to(resultDevice);
        }
        var results = new KanadeFeatures[waveforms.Count];
        for (int i = 0; i < results.Length; i++)
        {
            long tokens = frameCounts[i] / Config.DownsampleFactor;
            results[i] = new KanadeFeatures(
                indices?[i, ..(int)tokens].clone().MoveToOuterDisposeScope(),
                quantized?[i, ..(int)tokens].clone().MoveToOuterDisposeScope(),
                globals?[i].clone().MoveToOuterDisposeScope());
        }
        return results;
    }

    /// <summary>
    /// <see cref="Decode"/> for many utterances in one forward pass (content padded to the longest, rounded up as in
    /// <see cref="EncodeBatch"/>, masked in every stage, interpolated to each item's own mel length). Returns
    /// (n_mels, frames_i) per item.
    /// </summary>
    /// <param name="globalEmbeddings">(D_global,) per item.</param>
    /// <param name="contentTokenIndices">(T_i,) int64 token ids per item.</param>
    /// <param name="targetAudioLengths">Samples to reconstruct per item, or null to estimate them from the token counts.</param>
    public IReadOnlyList<Tensor> DecodeBatch(IReadOnlyList<Tensor> globalEmbeddings, IReadOnlyList<Tensor> contentTokenIndices,
                                              IReadOnlyList<long>? targetAudioLengths = null)
    {
        ArgumentNullException.ThrowIfNull(globalEmbeddings);
        ArgumentNullException.ThrowIfNull(contentTokenIndices);
        int count = contentTokenIndices.Count;
        if (globalEmbeddings.Count != count || (targetAudioLengths is not null && targetAudioLengths.Count != count))
            throw new ArgumentException($"DecodeBatch needs one global embedding and one target length per item: got {count} token sequences, " +
                                        $"{globalEmbeddings.Count} embeddings, {targetAudioLengths?.Count.ToString() ?? "no"} lengths.");
        for (int i = 0; i < count; i++) CheckDecodeInputs(globalEmbeddings[i], contentTokenIndices[i], $"[{i}]");
        if (count == 0) return [];
        if (count == 1) return [Decode(globalEmbeddings[0], contentTokenIndices[0], targetAudioLength: targetAudioLengths?[0])];

        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        long[] tokens = contentTokenIndices.Select(t => t.shape[0]).ToArray();
        long longest = KanadeLengths.BatchLength(tokens);
        var ids = stack(contentTokenIndices.Select((t, i) => functional.pad(OnDevice(t).to(ScalarType.Int64), [0, longest - tokens[i]])), 0); // (B, T)
        var content = local_quantizer.Decode(ids);
        var validTokens = ValidMask(HostValuesOnDevice(tokens), longest);
        var upsampled = UpsampleContent(content, validTokens); // (B, T*f, C)
        long factor = upsampled.shape[1] / longest;

        long[] melLengths = tokens.Select((t, i) => TargetMelLength(targetAudioLengths?[i] ?? OriginalAudioLength(t))).ToArray();
        long longestMel = KanadeLengths.BatchLength(melLengths);
        // Interpolation is per item: each item's own frames stretched to its own mel length.
        var latent = stack(Enumerable.Range(0, count).Select(i =>
        {
            var item = Interpolate(upsampled[i, ..(int)(tokens[i] * factor)].unsqueeze(0), melLengths[i], Config.MelInterpolationMode)[0];
            return functional.pad(item, [0, 0, 0, longestMel - melLengths[i]]);
        }), 0); // (B, T_mel, C)
        var validFrames = ValidMask(HostValuesOnDevice(melLengths), longestMel);
        var mel = DecodeMel(latent, stack(globalEmbeddings.Select(OnDevice), 0), validFrames);
        return Enumerable.Range(0, count).Select(i => mel[i, .., ..(int)melLengths[i]].clone().MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>
    /// The waveforms padded into one (B, <paramref name="longest"/>) tensor on the model's device, each starting at its
    /// own reference padding. Host data only ever crosses to CUDA from pinned memory, which does not stall the device
    /// (<see cref="HostValues.ToDevice(Tensor, Device)"/>): pinned waveforms directly into the device batch, pageable
    /// ones padded on the host and pinned as one block.
    /// </summary>
    Tensor PaddedBatch(IReadOnlyList<Tensor> waveforms, int[] paddings, long longest)
    {
        var dtype = waveforms[0].dtype;
        if (Device.type == DeviceType.CUDA && waveforms.All(w => w.device_type == DeviceType.CPU && w.is_pinned()))
        {
            var batch = zeros(waveforms.Count, longest, dtype, Device);
            for (int i = 0; i < waveforms.Count; i++)
                batch[i].narrow(0, paddings[i], waveforms[i].shape[0]).copy_(waveforms[i], nonBlocking: true);
            return batch;
        }
        var staging = zeros(waveforms.Count, longest, dtype, waveforms[0].device);
        for (int i = 0; i < waveforms.Count; i++)
            staging[i].narrow(0, paddings[i], waveforms[i].shape[0]).copy_(waveforms[i]);
        return HostValues.ToDevice(staging, Device);
    }

    /// <summary>Host values (lengths) as an int64 tensor on the model's device, without stalling it (<see cref="HostValues.ToDevice(long[], Device)"/>).</summary>
    Tensor HostValuesOnDevice(long[] values) => HostValues.ToDevice(values, Device);
}
