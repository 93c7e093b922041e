using static TorchSharp.torch;

namespace Kanade.Cli.Tokenize;

/// <summary>Tokens and global embedding of one utterance, or why it failed.</summary>
internal readonly record struct EncodeResult(int[]? Tokens, float[]? GlobalEmbedding, string? Error);

/// <summary>
/// One device's model: encodes a length-bucketed batch. The seam where ML.NET's batched <c>KanadeEncode</c>
/// (<c>KanadeModel.EncodeBatch</c>) plugs in.
/// </summary>
internal interface IBatchEncoder : IDisposable
{
    /// <summary>The device it runs on, as given on the command line.</summary>
    string Device { get; }

    /// <summary>Encodes (samples,) CPU waveforms at the model rate; one result per waveform, in order.</summary>
    IReadOnlyList<EncodeResult> Encode(IReadOnlyList<Tensor> waveforms);
}
