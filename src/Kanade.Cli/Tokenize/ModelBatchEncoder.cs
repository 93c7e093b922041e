using Kanade.Cli.LongAudio;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Cli.Tokenize;

/// <summary>
/// <see cref="IBatchEncoder"/> over a <see cref="KanadeModel"/> on one device: a batch of utterances within the window
/// goes through <see cref="KanadeModel.EncodeBatch"/> in one forward pass (each item equal to its own
/// <see cref="KanadeModel.Encode"/> up to float rounding); a longer one through <see cref="WindowedEncoder"/>. A batch
/// that fails as a whole is retried item by item, so one bad input cannot sink its neighbours.
/// </summary>
internal sealed class ModelBatchEncoder(KanadeModel model, string device, Device torchDevice, WindowedEncoder encoder, bool ownsModel = true) : IBatchEncoder
{
    /// <inheritdoc/>
    public string Device => device;

    /// <inheritdoc/>
    public IReadOnlyList<EncodeResult> Encode(IReadOnlyList<Tensor> waveforms)
    {
        if (waveforms.Count > 1 && !waveforms.Any(w => encoder.IsWindowed(w.shape[0])))
        {
            try
            {
                return EncodeTogether(waveforms);
            }
            catch (ArgumentException)
            {
                // Fall through: find the item at fault.
            }
        }
        return [.. waveforms.Select(EncodeOne)];
    }

    IReadOnlyList<EncodeResult> EncodeTogether(IReadOnlyList<Tensor> waveforms)
    {
        using var scope = NewDisposeScope();
        // CPU waveforms go in as they are: EncodeBatch pads them where they are and crosses to the device in one copy.
        var features = model.EncodeBatch(waveforms, returnContent: true, returnGlobal: true, resultDevice: CPU, returnContentEmbedding: false);
        try
        {
            return [.. features.Select(f => Result(f))];
        }
        finally
        {
            foreach (var f in features) f.Dispose();
        }
    }

    EncodeResult EncodeOne(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        try
        {
            using var features = encoder.Encode(waveform.to(torchDevice), returnContentEmbedding: false);
            return Result(features);
        }
        catch (ArgumentException e)
        {
            return new EncodeResult(null, null, e.Message);
        }
    }

    static EncodeResult Result(KanadeFeatures features) => new(
        [.. features.ContentTokenIndices!.cpu().data<long>().Select(t => checked((int)t))],
        features.GlobalEmbedding!.cpu().data<float>().ToArray(),
        null);

    /// <summary>Disposes the model.</summary>
    public void Dispose()
    {
        if (ownsModel) model.Dispose();
    }
}
