// Port of kanade-tokenizer module/postnet.py (MIT; after FastSpeech 2).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Modules;

/// <summary>Residual stack of Conv1d + norm (+ tanh) layers refining the mel spectrogram.</summary>
public sealed class PostNet : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // checkpoint names
    readonly ModuleList<Sequential> convolutions;
    readonly Dropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the PostNet.</summary>
    public PostNet(PostNetOptions options) : base(nameof(PostNet))
    {
        if (options.NumLayers < 2) throw new ArgumentException($"PostNet num_layers must be at least 2, got {options.NumLayers}.", nameof(options));
        if (options.KernelSize % 2 != 1) throw new ArgumentException($"PostNet kernel_size must be odd, got {options.KernelSize}.", nameof(options));
        int padding = (options.KernelSize - 1) / 2;
        Sequential Layer(int input, int output) => Sequential(
            Conv1d(input, output, options.KernelSize, padding: padding),
            options.UseLayerNorm ? new ChannelLayerNorm(output) : BatchNorm1d(output));
        var layers = new List<Sequential> { Layer(options.InputChannels, options.Channels) };
        for (int i = 1; i < options.NumLayers - 1; i++) layers.Add(Layer(options.Channels, options.Channels));
        layers.Add(Layer(options.Channels, options.InputChannels));
        convolutions = new ModuleList<Sequential>(layers.ToArray());
        dropout = Dropout(options.Dropout);
        RegisterComponents();
    }

    /// <summary>(B, n_mels, T) -> (B, n_mels, T).</summary>
    public override Tensor forward(Tensor x) => forward(x, null);

    /// <summary>(B, n_mels, T) -> (B, n_mels, T); <paramref name="validFrames"/> (B, T) zeroes padded frames before every convolution.</summary>
    public Tensor forward(Tensor x, Tensor? validFrames)
    {
        using var scope = NewDisposeScope();
        // Padded frames must read as zeros, as the single-utterance convolution's zero padding does.
        var keep = validFrames?.unsqueeze(1).to(x.dtype); // (B, T) -> (B, 1, T)
        Tensor Masked(Tensor t) => keep is null ? t : t * keep;
        var h = Masked(x);
        for (int i = 0; i < convolutions.Count - 1; i++) h = Masked(dropout.call(convolutions[i].call(h).tanh()));
        h = dropout.call(convolutions[^1].call(h));
        return (h + x).MoveToOuterDisposeScope();
    }

    /// <summary>LayerNorm over the channel axis of (B, C, T) (the reference's <c>Norm</c>).</summary>
    sealed class ChannelLayerNorm : Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006 // checkpoint names
        readonly LayerNorm norm;
#pragma warning restore IDE1006

        public ChannelLayerNorm(int channels) : base("Norm")
        {
            norm = LayerNorm(channels);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => norm.call(x.transpose(1, 2)).transpose(1, 2); // over C of (B, C, T)
    }
}
