// The cursor of a mapped view when none of its own columns is asked for: the input rows unchanged, no model run.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet.Cursors;

/// <summary>Presents an input cursor under an output schema whose first columns are the input's.</summary>
internal sealed class PassThroughCursor : DataViewRowCursor
{
    readonly DataViewRowCursor input;
    readonly DataViewSchema schema;

    public PassThroughCursor(DataViewRowCursor input, DataViewSchema schema)
    {
        this.input = input;
        this.schema = schema;
    }

    public override DataViewSchema Schema => schema;
    public override long Position => input.Position;
    public override long Batch => input.Batch;
    public override bool MoveNext() => input.MoveNext();
    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index < input.Schema.Count && input.IsColumnActive(input.Schema[column.Index]);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' was not asked for when this cursor was created.");
        return input.GetGetter<TValue>(input.Schema[column.Index]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) input.Dispose();
        base.Dispose(disposing);
    }
}
