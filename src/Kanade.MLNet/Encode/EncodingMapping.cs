// KanadeEncode's rows: read waveforms, encode a window of them in batches on the model's device, copy results out.
using Kanade.MLNet.Cursors;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Kanade.MLNet.Encode;

/// <summary>Waveform -> tokens, global embedding, content embedding; the model runs only for what is asked for.</summary>
internal sealed class EncodingMapping(KanadeEncodingTransformer transformer) : RowMapping<float[], EncodedRow>
{
    readonly KanadeEncodingOptions options = transformer.Options;
    readonly KanadeModel model = transformer.Model;
    readonly string[] names = transformer.AddedColumnNames;

    public override DataViewSchema AddedColumns { get; } = transformer.AddedColumns();
    public override int ReadAheadRows => options.Window;

    bool NeedsContent(bool[] active) => Enumerable.Range(0, names.Length).Any(j => active[j] && names[j] != options.GlobalEmbeddingColumnName);
    bool NeedsGlobal(bool[] active) => Enumerable.Range(0, names.Length).Any(j => active[j] && names[j] == options.GlobalEmbeddingColumnName);

    public override IEnumerable<DataViewSchema.Column> Dependencies(DataViewSchema input, bool[] active) => [input[options.InputColumnName]];

    public override Func<float[]> Reader(DataViewRowCursor cursor, bool[] active) =>
        VectorReader.Create<float>(cursor, cursor.Schema[options.InputColumnName]);

    public override EncodedRow[] Compute(IReadOnlyList<float[]> items, bool[] active, long firstRow)
    {
        bool content = NeedsContent(active), global = NeedsGlobal(active);
        var results = new EncodedRow[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i].Length == 0) results[i] = new EncodedRow([], Nan(model.GlobalDim), []);
            else if (items[i].Length < model.MinimumSamples)
                throw new InvalidOperationException(
                    $"KanadeEncode, input row {firstRow + i}: the waveform in column '{options.InputColumnName}' has {items[i].Length} samples; the model needs at " +
                    $"least {model.MinimumSamples} ({model.MinimumSamples * 1000.0 / model.Config.SampleRate:F1} ms at {model.Config.SampleRate} Hz). " +
                    "Filter short rows out, or pad them (an empty waveform gives empty tokens).");
            else if (!items[i].All(float.IsFinite))
                throw new InvalidOperationException($"KanadeEncode, input row {firstRow + i}: the waveform in column '{options.InputColumnName}' holds NaN or infinite samples.");
        }
        long[] lengths = items.Select(w => (long)w.Length).ToArray();
        foreach (int[] batch in options.Batches(lengths, i => items[i].Length > 0))
        {
            using var scope = NewDisposeScope();
            var waveforms = batch.Select(i => tensor(items[i])).ToArray();
            var features = transformer.Runner.Encode(model, waveforms, content, global);
            for (int k = 0; k < batch.Length; k++)
            {
                var f = features[k];
                results[batch[k]] = new EncodedRow(
                    f.ContentTokenIndices is null ? [] : f.ContentTokenIndices.to(ScalarType.Int32).data<int>().ToArray(),
                    f.GlobalEmbedding is null ? [] : f.GlobalEmbedding.to(ScalarType.Float32).data<float>().ToArray(),
                    f.ContentEmbedding is null ? [] : f.ContentEmbedding.to(ScalarType.Float32).contiguous().data<float>().ToArray());
            }
        }
        return results;
    }

    static float[] Nan(int length) => Enumerable.Repeat(float.NaN, length).ToArray();

    public override Delegate Getter(int added, Func<EncodedRow> current)
    {
        string name = names[added];
        if (name == options.TokensColumnName)
        {
            if (options.TokensAsKeys)
                return (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> value) =>
                {
                    int[] tokens = current().Tokens;
                    var editor = VBufferEditor.Create(ref value, tokens.Length);
                    for (int t = 0; t < tokens.Length; t++) editor.Values[t] = (uint)tokens[t] + 1;
                    value = editor.Commit();
                });
            return (ValueGetter<VBuffer<int>>)((ref VBuffer<int> value) => Copy(current().Tokens, ref value));
        }
        if (name == options.GlobalEmbeddingColumnName)
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Copy(current().GlobalEmbedding, ref value));
        return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Copy(current().ContentEmbedding, ref value));
    }

    static void Copy<T>(T[] source, ref VBuffer<T> value) => new VBuffer<T>(source.Length, source).CopyTo(ref value);
}
