// Port of kanade-tokenizer model.py forward_* stage methods (MIT).
using Kanade.Modules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade;

public sealed partial class KanadeModel
{
    /// <summary>
    /// SSL features of a batch: (local, global), each (B, T, C). Local = mean of the local layers, normalised over
    /// time per item (unbiased std + 1e-8); global = mean of the global layers. Runs without autograd (SSL is frozen).
    /// </summary>
    /// <param name="waveform">(B, samples) or (B, 1, samples) at <see cref="KanadeModelConfig.SampleRate"/>.</param>
    /// <param name="padding">Zeros added on each side before the SSL model.</param>
    /// <param name="lengths">(B,) valid samples per item for padded batches (before <paramref name="padding"/>), or null;
    /// best on the CPU, as the SSL model reads them on the host (<see cref="Ssl.Wav2Vec2Model.ExtractFeatures"/>).</param>
    public (Tensor Local, Tensor Global) ForwardSslFeatures(Tensor waveform, int padding, Tensor? lengths = null)
    {
        var (local, global, frames) = ForwardSslFeaturesWithFrames(waveform, padding, lengths);
        frames?.Dispose();
        return (local, global);
    }

    /// <summary><see cref="ForwardSslFeatures"/> plus each item's SSL frame count (null when <paramref name="lengths"/> is null).</summary>
    internal (Tensor Local, Tensor Global, Tensor? Frames) ForwardSslFeaturesWithFrames(Tensor waveform, int padding, Tensor? lengths)
    {
        using var scope = NewDisposeScope();
        if (waveform.dim() == 3) waveform = waveform.squeeze(1); // (B, 1, S) -> (B, S)
        if (padding > 0) waveform = functional.pad(waveform, [padding, padding]);
        List<Tensor> layers;
        Tensor? frames = null;
        using (no_grad())
        {
            (layers, frames) = ssl_feature_extractor.Extract(waveform, lengths is null ? null : lengths + 2 * padding, sslDtype);
        }
        layers = layers.Select(ToFloat32).ToList(); // mixing and time statistics in float32
        var local = MixLayers(layers, Config.LocalSslLayers);
        if (Config.NormalizeSslFeatures) local = NormalizeOverTime(local, frames);
        var global = MixLayers(layers, Config.GlobalSslLayers);
        frames?.MoveToOuterDisposeScope();
        return (local.MoveToOuterDisposeScope(), global.MoveToOuterDisposeScope(), frames);
    }

    static Tensor MixLayers(List<Tensor> layers, IReadOnlyList<int> chosen) =>
        chosen.Count == 1 ? layers[chosen[0] - 1] : stack(chosen.Select(i => layers[i - 1]), 0).mean([0]);

    /// <summary>(x - mean) / (std + 1e-8) over time, per item and channel; with <paramref name="frames"/>, over each item's valid frames.</summary>
    static Tensor NormalizeOverTime(Tensor x, Tensor? frames, double eps = 1e-8)
    {
        if (frames is null)
            return (x - x.mean([1], keepdim: true)) / (x.std(1, unbiased: true, keepdim: true) + eps);
        var valid = Ssl.MaskedNormalization.ValidFrames(x, frames); // (B, T, 1)
        var count = valid.sum(1, keepdim: true);
        var mean = (x * valid).sum(1, keepdim: true) / count;
        var variance = ((x - mean).pow(2) * valid).sum(1, keepdim: true) / (count - 1);
        return (x - mean) / (variance.sqrt() + eps) * valid;
    }

    /// <summary>(B,) lengths -> (B, T) boolean, true on frames before each length.</summary>
    internal static Tensor ValidMask(Tensor lengths, long time) =>
        arange(time, device: lengths.device).unsqueeze(0) < lengths.unsqueeze(1);

    /// <summary>
    /// Local branch: (B, T, C) SSL features -> quantized content embedding (B, T/f, D), token ids (B, T/f), the SSL
    /// reconstruction (B, T, C) when the model has a feature decoder (else null) and the quantizer perplexity.
    /// </summary>
    /// <param name="localSslFeatures">(B, T, C) normalised local SSL features.</param>
    /// <param name="validFrames">(B, T) boolean for padded batches, or null.</param>
    /// <param name="reconstructFeatures">Run the feature decoder (training); inference passes false and skips it.</param>
    public (Tensor Quantized, Tensor Indices, Tensor? SslReconstruction, Tensor Perplexity) ForwardContent(Tensor localSslFeatures, Tensor? validFrames = null, bool reconstructFeatures = true)
    {
        using var scope = NewDisposeScope();
        var encoded = local_encoder.forward(ToBranch(localSslFeatures), null, validFrames);
        int factor = Config.DownsampleFactor;
        if (factor > 1)
        {
            // (B, T, C) -> (B, C, T) -> (B, C, T/f) -> (B, T/f, C)
            encoded = conv_downsample is not null
                ? conv_downsample.call(encoded.transpose(1, 2)).transpose(1, 2)
                : functional.avg_pool1d(encoded.transpose(1, 2), factor, factor).transpose(1, 2);
        }
        Tensor? reconstruction = null;
        var (quantized, indices) = local_quantizer.Encode(ToFloat32(encoded)); // FSQ bounds and rounds in float32
        var perplexity = tensor(0.0f, device: encoded.device);
        if (feature_decoder is not null && reconstructFeatures)
        {
            perplexity = FiniteScalarQuantizer.Perplexity(indices);
            var latent = quantized;
            if (factor > 1)
            {
                latent = conv_upsample is not null
                    ? conv_upsample.call(latent.transpose(1, 2)).transpose(1, 2)
                    : Interpolate(latent, localSslFeatures.shape[1], Config.LocalInterpolationMode);
            }
            reconstruction = feature_decoder.call(latent);
        }
        reconstruction?.MoveToOuterDisposeScope();
        return (quantized.MoveToOuterDisposeScope(), indices.MoveToOuterDisposeScope(), reconstruction, perplexity.MoveToOuterDisposeScope());
    }

    /// <summary>Global branch: (B, T, C) SSL features -> (B, D_global).</summary>
    /// <param name="globalSslFeatures">(B, T, C) global SSL features.</param>
    /// <param name="validFrames">(B, T) boolean for padded batches, or null.</param>
    public Tensor ForwardGlobal(Tensor globalSslFeatures, Tensor? validFrames = null) =>
        ToFloat32(global_encoder.forward(ToBranch(globalSslFeatures), validFrames));

    /// <summary>Mel decoder: content (B, T, D) and global (B, D_global) embeddings -> mel (B, n_mels, <paramref name="melLength"/>).</summary>
    public Tensor ForwardMel(Tensor contentEmbeddings, Tensor globalEmbeddings, long melLength)
    {
        using var scope = NewDisposeScope();
        var latent = UpsampleContent(contentEmbeddings, null);
        latent = Interpolate(latent, melLength, Config.MelInterpolationMode);
        return DecodeMel(latent, globalEmbeddings, null).MoveToOuterDisposeScope();
    }

    /// <summary>Mel prenet and transposed-convolution up-sampling: (B, T, D) -> (B, T * mel_upsample_factor, C).</summary>
    Tensor UpsampleContent(Tensor contentEmbeddings, Tensor? validTokens)
    {
        using var scope = NewDisposeScope();
        var latent = mel_prenet.forward(ToBranch(contentEmbeddings), null, validTokens);
        if (mel_conv_upsample is not null)
            latent = mel_conv_upsample.call(latent.transpose(1, 2)).transpose(1, 2); // (B, T, C) -> (B, C, T*f) -> (B, T*f, C)
        return latent.MoveToOuterDisposeScope();
    }

    /// <summary>Mel decoder and PostNet on mel-rate latents (B, T_mel, C) -> (B, n_mels, T_mel).</summary>
    Tensor DecodeMel(Tensor latent, Tensor globalEmbeddings, Tensor? validFrames)
    {
        using var scope = NewDisposeScope();
        var mel = mel_decoder.forward(ToBranch(latent), ToBranch(globalEmbeddings).unsqueeze(1), validFrames).transpose(1, 2); // (B, T_mel, n_mels) -> (B, n_mels, T_mel)
        return ToFloat32(mel_postnet.forward(mel, validFrames)).MoveToOuterDisposeScope();
    }

    /// <summary>(B, T, C) -> (B, <paramref name="length"/>, C) like F.interpolate (align_corners false).</summary>
    static Tensor Interpolate(Tensor x, long length, string mode)
    {
        var interpolation = mode == "nearest" ? InterpolationMode.Nearest : InterpolationMode.Linear;
        bool? alignCorners = mode == "nearest" ? null : false;
        return functional.interpolate(x.transpose(1, 2), size: [length], mode: interpolation, align_corners: alignCorners).transpose(1, 2);
    }
}
