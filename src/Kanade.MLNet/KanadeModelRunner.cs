// The one place the ML.NET steps call the model: batched calls, counted (the tests check that column subsets skip work).
using static TorchSharp.torch;

namespace Kanade.MLNet;

/// <summary>The seam between the cursors and <see cref="KanadeModel"/>/<see cref="IVocoder"/>: one call per forward pass.</summary>
internal sealed class KanadeModelRunner
{
    long encodeCalls, contentPasses, globalPasses, decodeCalls, vocodeCalls;

    /// <summary>Forward passes of the encoder so far.</summary>
    public long EncodeCalls => Interlocked.Read(ref encodeCalls);
    /// <summary>Encoder passes that computed the content branch (tokens).</summary>
    public long ContentPasses => Interlocked.Read(ref contentPasses);
    /// <summary>Encoder passes that computed the global branch.</summary>
    public long GlobalPasses => Interlocked.Read(ref globalPasses);
    /// <summary>Forward passes of the decoder so far.</summary>
    public long DecodeCalls => Interlocked.Read(ref decodeCalls);
    /// <summary>Forward passes of the vocoder so far.</summary>
    public long VocodeCalls => Interlocked.Read(ref vocodeCalls);

    /// <summary>One padded, masked forward pass of the encoder over <paramref name="waveforms"/>; results on the CPU, one copy per output for the batch.</summary>
    public IReadOnlyList<KanadeFeatures> Encode(KanadeModel model, IReadOnlyList<Tensor> waveforms, bool returnContent, bool returnGlobal)
    {
        Interlocked.Increment(ref encodeCalls);
        if (returnContent) Interlocked.Increment(ref contentPasses);
        if (returnGlobal) Interlocked.Increment(ref globalPasses);
        return model.EncodeBatch(waveforms, returnContent, returnGlobal, resultDevice: CPU);
    }

    /// <summary>One padded, masked forward pass of the decoder.</summary>
    public IReadOnlyList<Tensor> Decode(KanadeModel model, IReadOnlyList<Tensor> globalEmbeddings, IReadOnlyList<Tensor> tokens, IReadOnlyList<long>? audioLengths)
    {
        Interlocked.Increment(ref decodeCalls);
        return model.DecodeBatch(globalEmbeddings, tokens, audioLengths);
    }

    /// <summary>One vocoder pass over mels of equal frame count: (B, n_mels, frames) -> (B, samples).</summary>
    public Tensor Vocode(IVocoder vocoder, Tensor mels)
    {
        Interlocked.Increment(ref vocodeCalls);
        return vocoder.Vocode(mels);
    }
}
