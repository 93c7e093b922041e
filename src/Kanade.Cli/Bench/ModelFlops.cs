using Kanade.Ssl;

namespace Kanade.Cli.Bench;

/// <summary>
/// Multiply-accumulate arithmetic of the encode path (SSL + content + global) per second of audio, counted from the
/// architecture (2 FLOPs per MAC; matrix products and convolutions only, as MFU figures usually count), for MFU.
/// </summary>
internal static class ModelFlops
{
    /// <summary>FLOPs to encode one second of audio with <paramref name="model"/> (a 10 s utterance's cost / 10).</summary>
    public static double EncodePerAudioSecond(KanadeModel model, double seconds = 10)
    {
        var d = model.Definition;
        var ssl = model.SslFeatureExtractor;
        var arch = ssl.Model.Architecture;
        double flops = 0;

        // SSL convolution stack on the 16 kHz waveform.
        long length = (long)(seconds * ssl.SslSampleRate);
        int inChannels = 1;
        foreach (var layer in ssl.ConvLayers)
        {
            length = (length - layer.Kernel) / layer.Stride + 1;
            flops += 2.0 * inChannels * layer.Channels * layer.Kernel * length;
            inChannels = layer.Channels;
        }
        long frames = length;
        int width = arch.EncoderEmbedDim;
        flops += 2.0 * inChannels * width * frames;                                                   // feature projection
        flops += 2.0 * width * (width / arch.EncoderPosConvGroups) * arch.EncoderPosConvKernel * frames; // positional conv
        flops += ssl.OutputLayers * frames * (2.0 * (4.0 * width * width + 2.0 * width * arch.EncoderFfIntermFeatures) + 4.0 * frames * width);

        // Local encoder (SwiGLU), strided convolution, global ConvNeXt.
        flops += TransformerFlops(d.LocalEncoder, frames);
        int local = d.LocalEncoder.OutputDim ?? d.LocalEncoder.Dim;
        flops += 2.0 * local * local * frames;
        var g = d.GlobalEncoder;
        flops += 2.0 * g.InputChannels * g.Dim * 7 * frames + g.NumLayers * frames * (2.0 * g.Dim * 7 + 4.0 * g.Dim * g.IntermediateDim);
        return flops / seconds;
    }

    static double TransformerFlops(Kanade.Modules.TransformerOptions o, long frames)
    {
        int hidden = Kanade.Modules.FeedForward.HiddenWidth(4 * o.Dim, o.MultipleOf, o.FfnDimMultiplier);
        long span = o.WindowSize is int w ? Math.Min(w, frames) : frames;
        return o.NLayers * frames * (2.0 * (4.0 * o.Dim * o.Dim + 3.0 * o.Dim * hidden) + 4.0 * span * o.Dim);
    }
}
