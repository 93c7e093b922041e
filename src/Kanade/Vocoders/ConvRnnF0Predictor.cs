// Port of kanade-tokenizer module/hift.py ConvRNNF0Predictor (MIT; from CosyVoice 2).
using Kanade.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>
/// HiFT's F0 predictor: five Conv1d (kernel 3) + ELU layers, then a Linear per frame, absolute value.
/// (B, n_mels, T) -> (B, T) in Hz.
/// </summary>
public sealed class ConvRnnF0Predictor : Module<Tensor, Tensor>
{
    const int Layers = 5;

#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint's tensor names.
    readonly Sequential condnet;
    readonly Dense classifier;
#pragma warning restore IDE1006

    /// <summary>Creates the predictor for <paramref name="inChannels"/> mel bins.</summary>
    public ConvRnnF0Predictor(int inChannels = 80, int condChannels = 512) : base(nameof(ConvRnnF0Predictor))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(condChannels, 1);
        var layers = new List<Module<Tensor, Tensor>>();
        for (int i = 0; i < Layers; i++)
        {
            layers.Add(Conv1d(i == 0 ? inChannels : condChannels, condChannels, 3, padding: 1));
            layers.Add(ELU());
        }
        condnet = Sequential(layers);
        classifier = new Dense(condChannels, 1);
        RegisterComponents();
    }

    /// <summary>Names of the convolutions stored with weight norm in checkpoints (the even entries of <c>condnet</c>).</summary>
    internal static IEnumerable<string> WeightNormedLayers => Enumerable.Range(0, Layers).Select(i => $"condnet.{2 * i}");

    /// <summary>(B, n_mels, T) -> F0 (B, T), non-negative.</summary>
    public override Tensor forward(Tensor mel)
    {
        using var scope = NewDisposeScope();
        var h = condnet.call(mel).transpose(1, 2); // (B, C, T) -> (B, T, C)
        return classifier.call(h).squeeze(-1).abs().MoveToOuterDisposeScope(); // (B, T, 1) -> (B, T)
    }
}
