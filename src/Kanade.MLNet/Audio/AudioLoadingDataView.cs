// The lazy view LoadAudio's Transform returns.
using Kanade.MLNet.Cursors;
using Kanade.MLNet.Schema;
using Microsoft.ML;

namespace Kanade.MLNet.Audio;

/// <summary>The input rows plus their waveforms; a file is read when a cursor that needs it reaches its row.</summary>
internal sealed class AudioLoadingDataView : IDataView
{
    readonly IDataView input;
    readonly AudioLoadingTransformer transformer;

    public AudioLoadingDataView(IDataView input, AudioLoadingTransformer transformer)
    {
        this.input = input;
        this.transformer = transformer;
        Schema = OutputSchemas.Append(input.Schema, transformer.AddedColumns());
    }

    public DataViewSchema Schema { get; }
    public bool CanShuffle => input.CanShuffle;
    public long? GetRowCount() => transformer.ErrorPolicy == AudioErrorPolicy.SkipRow ? null : input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        int inputCount = input.Schema.Count;
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        var passThrough = needed.Where(i => i < inputCount).Select(i => input.Schema[i]).ToList();
        bool waveform = needed.Contains(inputCount), error = needed.Contains(inputCount + 1);
        bool skip = transformer.ErrorPolicy == AudioErrorPolicy.SkipRow;
        if (!waveform && !error && !skip)
            return new PassThroughCursor(input.GetRowCursor(passThrough, rand), Schema);
        var options = transformer.Options;
        var reads = new List<DataViewSchema.Column>(passThrough) { input.Schema[options.InputColumnName] };
        if (options.OffsetColumnName is { } offset) reads.Add(input.Schema[offset]);
        if (options.FramesColumnName is { } frames) reads.Add(input.Schema[frames]);
        var cursor = input.GetRowCursor(reads.DistinctBy(c => c.Index), rand);
        return new AudioLoadingCursor(cursor, Schema, transformer, needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
