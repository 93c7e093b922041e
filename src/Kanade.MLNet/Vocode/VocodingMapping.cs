// Vocode's rows: mels of a window, vocoded in batches of equal frame count (no padding, so batching changes nothing).
using Kanade.MLNet.Cursors;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Kanade.MLNet.Vocode;

/// <summary>Mel (n_mels x frames, row-major) -> waveform.</summary>
internal sealed class VocodingMapping(VocodingTransformer transformer) : RowMapping<float[], float[]>
{
    readonly VocodingOptions options = transformer.Options;
    readonly IVocoder vocoder = transformer.Vocoder;

    public override DataViewSchema AddedColumns { get; } = transformer.AddedColumns();
    public override int ReadAheadRows => options.Window;

    public override IEnumerable<DataViewSchema.Column> Dependencies(DataViewSchema input, bool[] active) => [input[options.InputColumnName]];

    public override Func<float[]> Reader(DataViewRowCursor cursor, bool[] active) =>
        VectorReader.Create<float>(cursor, cursor.Schema[options.InputColumnName]);

    public override float[][] Compute(IReadOnlyList<float[]> items, bool[] active, long firstRow)
    {
        int bins = vocoder.MelBins;
        var results = new float[items.Count][];
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i].Length % bins != 0)
                throw new InvalidOperationException(
                    $"Vocode, input row {firstRow + i}: column '{options.InputColumnName}' holds {items[i].Length} values, not a whole number of frames of {bins} mel bins (the vocoder's).");
            if (items[i].Length == 0) results[i] = [];
        }
        var device = transformer.Device;
        // Equal frame counts only: a vocoder has no padding mask, so mixing lengths would change the shorter items.
        foreach (var group in Enumerable.Range(0, items.Count).Where(i => items[i].Length > 0).GroupBy(i => items[i].Length))
            foreach (int[] batch in group.Chunk(options.BatchSize))
            {
                using var scope = NewDisposeScope();
                long frames = items[batch[0]].Length / bins;
                var mels = stack(batch.Select(i => tensor(items[i]).view(bins, frames)), 0).to(device);   // (B, n_mels, frames)
                var waves = transformer.Runner.Vocode(vocoder, mels).to(ScalarType.Float32).cpu();      // (B, samples)
                for (int k = 0; k < batch.Length; k++) results[batch[k]] = waves[k].contiguous().data<float>().ToArray();
            }
        return results;
    }

    public override Delegate Getter(int added, Func<float[]> current) =>
        (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => { float[] wave = current(); new VBuffer<float>(wave.Length, wave).CopyTo(ref value); });
}
