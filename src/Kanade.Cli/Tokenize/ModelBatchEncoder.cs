using Kanade.Cli.Encoding;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Cli.Tokenize;

/// <summary>
/// <see cref="IBatchEncoder"/> over a <see cref="KanadeModel"/> on one device: each utterance through
/// <see cref="WindowedEncoder"/> (whole-utterance <see cref="KanadeModel.Encode"/> up to the window, windows beyond),
/// so tokens equal the library's single-utterance call. A batched forward pass replaces the loop once
/// <c>KanadeModel.EncodeBatch</c> is on main.
/// </summary>
internal sealed class ModelBatchEncoder(KanadeModel model, string device, Device torchDevice, WindowedEncoder encoder) : IBatchEncoder
{
    /// <inheritdoc/>
    public string Device => device;

    /// <inheritdoc/>
    public IReadOnlyList<EncodeResult> Encode(IReadOnlyList<Tensor> waveforms)
    {
        var results = new EncodeResult[waveforms.Count];
        for (int i = 0; i < waveforms.Count; i++)
        {
            using var scope = NewDisposeScope();
            try
            {
                var input = waveforms[i].to(torchDevice);
                using var features = encoder.Encode(input, returnContentEmbedding: false);
                int[] tokens = [.. features.ContentTokenIndices!.cpu().data<long>().Select(t => checked((int)t))];
                float[] global = features.GlobalEmbedding!.cpu().data<float>().ToArray();
                results[i] = new EncodeResult(tokens, global, null);
            }
            catch (ArgumentException e)
            {
                results[i] = new EncodeResult(null, null, e.Message);
            }
        }
        return results;
    }

    /// <summary>Disposes the model.</summary>
    public void Dispose() => model.Dispose();
}
