// The IDataView of a model step: the input's columns plus the step's own, computed lazily a window at a time.
using Kanade.MLNet.Schema;
using Microsoft.ML;

namespace Kanade.MLNet.Cursors;

/// <summary>
/// The output of a Kanade model step. Nothing runs until a cursor moves; a cursor that asks for none of the added
/// columns passes the input through without running the model, and one that asks for some computes only those.
/// </summary>
internal sealed class MappedDataView<TItem, TResult> : IDataView
{
    readonly IDataView input;
    readonly RowMapping<TItem, TResult> mapping;

    public MappedDataView(IDataView input, RowMapping<TItem, TResult> mapping)
    {
        this.input = input;
        this.mapping = mapping;
        Schema = OutputSchemas.Append(input.Schema, mapping.AddedColumns);
    }

    public DataViewSchema Schema { get; }
    public bool CanShuffle => input.CanShuffle;
    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        int inputCount = input.Schema.Count;
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        var activeInputs = needed.Where(i => i < inputCount).Select(i => input.Schema[i]).ToList();
        bool[] active = Enumerable.Range(0, mapping.AddedColumns.Count).Select(j => needed.Contains(inputCount + j)).ToArray();
        if (!active.Any(a => a))
            return new PassThroughCursor(input.GetRowCursor(activeInputs, rand), Schema);
        var dependencies = mapping.Dependencies(input.Schema, active);
        var cursor = input.GetRowCursor(activeInputs.Concat(dependencies).DistinctBy(c => c.Index), rand);
        return new BatchingCursor<TItem, TResult>(cursor, Schema, activeInputs, mapping, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)]; // one cursor: the model batches rows itself
}
