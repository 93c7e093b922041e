// KanadeDecode's rows: read tokens and global embeddings, decode a window in batches, copy mels out.
using Kanade.MLNet.Cursors;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Kanade.MLNet.Decode;

/// <summary>One row's decoder input: token ids (key types already shifted to ids), global embedding, optional target length.</summary>
internal sealed record DecodeItem(long[] Tokens, float[] GlobalEmbedding, long? AudioLength);

/// <summary>One row's mel (n_mels x frames, row-major) and frame count.</summary>
internal sealed record DecodedRow(float[] Mel, int Frames);

/// <summary>Tokens + global embedding -> mel and frame count; the decoder runs only when the mel is asked for.</summary>
internal sealed class DecodingMapping(KanadeDecodingTransformer transformer, DataViewSchema input) : RowMapping<DecodeItem, DecodedRow>
{
    readonly KanadeDecodingOptions options = transformer.Options;
    readonly KanadeModel model = transformer.Model;
    readonly bool keys = input[transformer.Options.TokensColumnName].Type is VectorDataViewType { ItemType: KeyDataViewType };

    public override DataViewSchema AddedColumns { get; } = transformer.AddedColumns();
    public override int ReadAheadRows => options.Window;

    public override IEnumerable<DataViewSchema.Column> Dependencies(DataViewSchema input, bool[] active)
    {
        var columns = new List<DataViewSchema.Column> { input[options.TokensColumnName] };
        if (active[0]) columns.Add(input[options.GlobalEmbeddingColumnName]);
        if (options.AudioLengthColumnName is { } length) columns.Add(input[length]);
        return columns;
    }

    public override Func<DecodeItem> Reader(DataViewRowCursor cursor, bool[] active)
    {
        var tokens = VectorReader.Tokens(cursor, cursor.Schema[options.TokensColumnName]);
        Func<float[]> global = active[0] ? VectorReader.Create<float>(cursor, cursor.Schema[options.GlobalEmbeddingColumnName]) : () => [];
        Func<long>? length = options.AudioLengthColumnName is { } name ? IntegerGetter.Create(cursor, cursor.Schema[name]) : null;
        return () => new DecodeItem(tokens(), global(), length?.Invoke());
    }

    public override DecodedRow[] Compute(IReadOnlyList<DecodeItem> items, bool[] active, long firstRow)
    {
        var results = new DecodedRow[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            Check(items[i], firstRow + i, active[0]);
            if (items[i].Tokens.Length == 0) results[i] = new DecodedRow([], 0);
            else if (!active[0]) results[i] = new DecodedRow([], checked((int)MelFrames(items[i])));
        }
        if (!active[0]) return results; // the frame count alone is arithmetic: no decoder run
        long[] lengths = items.Select(item => (long)item.Tokens.Length).ToArray();
        foreach (int[] batch in options.Batches(lengths, i => items[i].Tokens.Length > 0))
        {
            using var scope = NewDisposeScope();
            var tokens = batch.Select(i => tensor(items[i].Tokens)).ToArray();
            var globals = batch.Select(i => tensor(items[i].GlobalEmbedding)).ToArray();
            long[]? audioLengths = options.AudioLengthColumnName is null ? null : batch.Select(i => items[i].AudioLength!.Value).ToArray();
            var mels = transformer.Runner.Decode(model, globals, tokens, audioLengths);     // (n_mels, frames_k) each
            // One copy to the host for the whole batch: the mels flattened row-major, end to end.
            float[] values = cat(mels.Select(m => m.reshape(-1)).ToArray(), 0).to(ScalarType.Float32).cpu().data<float>().ToArray();
            int offset = 0;
            for (int k = 0; k < batch.Length; k++)
            {
                int size = checked((int)mels[k].numel());
                results[batch[k]] = new DecodedRow(values[offset..(offset + size)], checked((int)mels[k].shape[1]));
                offset += size;
            }
        }
        return results;
    }

    long MelFrames(DecodeItem item) => model.TargetMelLength(item.AudioLength ?? model.OriginalAudioLength(item.Tokens.Length));

    void Check(DecodeItem item, long row, bool needsEmbedding)
    {
        string where = $"KanadeDecode, input row {row}";
        long vocabulary = model.VocabularySize;
        foreach (long token in item.Tokens)
            if (token < 0 || token >= vocabulary)
                throw new InvalidOperationException(token == -1 && keys
                    ? $"{where}: column '{options.TokensColumnName}' holds a missing key; every token must be a key in 1..{vocabulary}."
                    : $"{where}: column '{options.TokensColumnName}' holds token {token}; ids must lie in [0, {vocabulary}).");
        if (needsEmbedding && item.Tokens.Length > 0 && item.GlobalEmbedding.Length != model.GlobalDim)
            throw new InvalidOperationException(
                $"{where}: column '{options.GlobalEmbeddingColumnName}' holds {item.GlobalEmbedding.Length} values; the model's global embedding has {model.GlobalDim}.");
        if (item.AudioLength is <= 0)
            throw new InvalidOperationException($"{where}: column '{options.AudioLengthColumnName}' holds {item.AudioLength}; the audio length must be positive.");
    }

    public override Delegate Getter(int added, Func<DecodedRow> current) => added == 0
        ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => { float[] mel = current().Mel; new VBuffer<float>(mel.Length, mel).CopyTo(ref value); })
        : (ValueGetter<int>)((ref int value) => value = current().Frames);
}
