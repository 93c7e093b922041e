// Long recordings: the whole-utterance encode of kanade-tokenizer model.py, in overlapping windows (not in the reference).
using Kanade.Ssl;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Cli.LongAudio;

/// <summary>
/// Encodes utterances of any length in bounded memory. Up to <see cref="WindowTokens"/> tokens it is
/// <see cref="KanadeModel.Encode"/> itself. Beyond, WavLM (whose global attention grows with the square of the
/// duration) runs on overlapping windows cut from the whole utterance's padded waveform at token boundaries, so every
/// window's frames lie on the whole utterance's frame grid; each window keeps its centre, away from the edges its
/// attention could not see past. The kept local SSL features are normalised over the whole recording as
/// <see cref="KanadeModel.ForwardSslFeatures"/> does, and the local encoder (windowed attention) then runs on chunks
/// wide enough for its receptive field, so the content tokens differ from a whole-utterance encode only through
/// the context WavLM loses at a window's edge. The global embedding is the mean of the windows' embeddings, weighted
/// by the frames each window keeps.
/// </summary>
internal sealed class WindowedEncoder
{
    readonly KanadeModel model;
    readonly IReadOnlyList<ConvLayerSpec> convLayers;
    readonly int sslRate;
    readonly int factor;

    /// <summary>Tokens per window (0: always whole-utterance).</summary>
    public int WindowTokens { get; }
    /// <summary>Tokens of context dropped at each inner window edge.</summary>
    public int ContextTokens { get; }
    /// <summary>Tokens per chunk of the local encoder's pass over the stitched features (default: the window).</summary>
    internal int ChunkTokens { get; set; }
    /// <summary>Waveform samples per token, or 0 when the rates do not divide (then no windowing).</summary>
    public long SamplesPerToken { get; }

    /// <param name="model">The model, on any device.</param>
    /// <param name="windowSeconds">Longest audio encoded in one piece; 0 for never windowing.</param>
    /// <param name="contextSeconds">Overlap kept on each side of a window's centre; under half the window.</param>
    public WindowedEncoder(KanadeModel model, double windowSeconds, double contextSeconds)
    {
        this.model = model;
        convLayers = model.SslFeatureExtractor.ConvLayers;
        sslRate = model.SslFeatureExtractor.SslSampleRate;
        factor = model.Config.DownsampleFactor;
        long numerator = (long)model.Config.SampleRate * factor * SslFrameArithmetic.HopSize(convLayers);
        SamplesPerToken = numerator % sslRate == 0 ? numerator / sslRate : 0;
        WindowTokens = windowSeconds <= 0 || SamplesPerToken == 0 ? 0 : (int)Math.Floor(windowSeconds * model.TokenRate);
        ContextTokens = (int)Math.Floor(contextSeconds * model.TokenRate);
        ChunkTokens = WindowTokens;
        if (WindowTokens > 0 && 2 * ContextTokens >= WindowTokens)
            throw new ArgumentException($"The window context ({contextSeconds} s on each side) must be under half the window ({windowSeconds} s).");
    }

    /// <summary>Tokens a whole-utterance encode of <paramref name="samples"/> samples yields.</summary>
    public long TokenCount(long samples) => model.SslFrameCount(samples) / factor;

    /// <summary>Whether <paramref name="samples"/> samples are encoded in windows.</summary>
    public bool IsWindowed(long samples) => WindowTokens > 0 && TokenCount(samples) > WindowTokens;

    /// <summary>Features of one utterance: (samples,) at the model rate on the model's device. Windowed beyond the window.</summary>
    public KanadeFeatures Encode(Tensor waveform, bool returnContentEmbedding = true)
    {
        if (!IsWindowed(waveform.shape[0])) return model.Encode(waveform);
        using var _ = inference_mode();
        var (tokens, global) = EncodeWindows(waveform);
        var embedding = returnContentEmbedding ? model.DecodeTokenIndices(tokens.to(waveform.device)) : null;
        return new KanadeFeatures(tokens, embedding, global);
    }

    /// <summary>The windows of an utterance of <paramref name="tokens"/> tokens: first token, and the kept token range.</summary>
    public IReadOnlyList<(long Start, long KeepStart, long KeepEnd)> PlanWindows(long tokens)
    {
        var windows = new List<(long, long, long)>();
        long step = WindowTokens - 2L * ContextTokens;
        for (long start = 0, keepStart = 0; ; start += step)
        {
            if (start + WindowTokens >= tokens)
            {
                long last = Math.Max(0, tokens - WindowTokens);
                windows.Add((last, keepStart, tokens));
                return windows;
            }
            long keepEnd = start + WindowTokens - ContextTokens;
            windows.Add((start, keepStart, keepEnd));
            keepStart = keepEnd;
        }
    }

    /// <summary>The windowed path whatever the length (tests call it on short audio to check the stitching is exact).</summary>
    internal (Tensor Tokens, Tensor Global) EncodeWindows(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var device = waveform.device;
        long samples = waveform.shape[0];
        int padding = model.WaveformPadding(samples);
        var padded = functional.pad(waveform.unsqueeze(0), [padding, padding]);   // (1, S) -> (1, S + 2p)
        long frames = model.SslFrameCount(samples), tokenCount = frames / factor;
        long windowSamples = model.OriginalAudioLength(WindowTokens);
        var plan = PlanWindows(tokenCount);

        Tensor? local = null;                                                       // (1, F, C) on the CPU, raw (not normalised)
        Tensor globalSum = zeros(1, model.GlobalDim, device: device);
        long keptFrames = 0;
        for (int w = 0; w < plan.Count; w++)
        {
            using var windowScope = NewDisposeScope();
            var (start, keepStart, keepEnd) = plan[w];
            bool last = w == plan.Count - 1;
            long from = start * SamplesPerToken;
            long length = last ? padded.shape[1] - from : windowSamples;
            var (layers, _) = model.SslFeatureExtractor.Extract(padded.narrow(1, from, length), null, model.SslComputeDtype);
            layers = [.. layers.Select(l => l.to(ScalarType.Float32))];                // mixing and statistics in float32, as the model does
            var windowLocal = Mix(layers, model.Config.LocalSslLayers);            // (1, frames_w, C)
            var windowGlobal = Mix(layers, model.Config.GlobalSslLayers);
            long firstFrame = (keepStart - start) * factor;
            long lastFrame = last ? windowLocal.shape[1] : (keepEnd - start) * factor;
            local ??= empty(1, frames, windowLocal.shape[2], windowLocal.dtype).MoveToOuterDisposeScope();
            local.narrow(1, keepStart * factor, lastFrame - firstFrame).copy_(windowLocal.narrow(1, firstFrame, lastFrame - firstFrame));
            long kept = lastFrame - firstFrame;
            globalSum.add_(model.ForwardGlobal(windowGlobal).mul(kept));
            keptFrames += kept;
        }

        Tensor mean = zeros(1), scale = ones(1);
        if (model.Config.NormalizeSslFeatures)
        {
            mean = local!.mean([1], keepdim: true);                                  // (1, 1, C)
            scale = local.std(1, unbiased: true, keepdim: true) + 1e-8;
        }
        var tokens = ContentTokens(local!, mean, scale, tokenCount, device);
        var global = (globalSum / keptFrames).squeeze(0);                           // (1, D) -> (D,)
        return (tokens.MoveToOuterDisposeScope(), global.MoveToOuterDisposeScope());
    }

    /// <summary>Token ids (T,) on the CPU from the raw local features, in chunks as wide as the local encoder's reach.</summary>
    Tensor ContentTokens(Tensor local, Tensor mean, Tensor scale, long tokenCount, Device device)
    {
        var options = model.Definition.LocalEncoder;
        long reachTokens = options.WindowSize is int window
            ? (options.NLayers * (long)(window / 2) + factor - 1) / factor
            : tokenCount;                                                          // global attention: one chunk
        long chunk = Math.Max(ChunkTokens, 1);
        var pieces = new List<Tensor>();
        for (long first = 0; first < tokenCount; first += chunk)
        {
            long end = Math.Min(tokenCount, first + chunk);
            long frameFrom = Math.Max(0, first - reachTokens) * factor;
            long frameTo = Math.Min(local.shape[1], (end + reachTokens) * factor);
            var features = ((local.narrow(1, frameFrom, frameTo - frameFrom) - mean) / scale).to(device);
            var (_, indices, _, _) = model.ForwardContent(features);                // (1, tokens_chunk)
            pieces.Add(indices.squeeze(0).narrow(0, first - frameFrom / factor, end - first).cpu());
        }
        return cat(pieces, 0);
    }

    static Tensor Mix(List<Tensor> layers, IReadOnlyList<int> chosen) =>
        chosen.Count == 1 ? layers[chosen[0] - 1] : stack(chosen.Select(i => layers[i - 1]), 0).mean([0]);
}
