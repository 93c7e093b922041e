// Read ahead a window of rows, compute them together, hand them out in input order.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet.Cursors;

/// <summary>
/// The cursor of a <see cref="MappedDataView{TItem, TResult}"/> that computes added columns: it reads up to
/// <see cref="RowMapping{TItem, TResult}.ReadAheadRows"/> input rows (copying their pass-through values), has the
/// mapping compute them in one go, then hands the rows out one by one in their input order.
/// </summary>
internal sealed class BatchingCursor<TItem, TResult> : DataViewRowCursor
{
    readonly DataViewRowCursor input;
    readonly DataViewSchema schema;
    readonly RowMapping<TItem, TResult> mapping;
    readonly bool[] active;
    readonly Func<TItem> read;
    readonly ColumnCache[] caches;
    readonly Delegate?[] getters;
    readonly ValueColumnCache<DataViewRowId> ids;
    readonly TItem[] items;
    TResult[] results = [];
    int count, slot = -1;
    bool inputDone;
    long position = -1;

    public BatchingCursor(DataViewRowCursor input, DataViewSchema schema, IReadOnlyList<DataViewSchema.Column> passThrough,
                          RowMapping<TItem, TResult> mapping, bool[] active)
    {
        this.input = input;
        this.schema = schema;
        this.mapping = mapping;
        this.active = active;
        int window = Math.Max(1, mapping.ReadAheadRows);
        items = new TItem[window];
        read = mapping.Reader(input, active);
        getters = new Delegate?[schema.Count];
        caches = new ColumnCache[passThrough.Count];
        for (int i = 0; i < passThrough.Count; i++)
        {
            caches[i] = ColumnCache.Create(input, passThrough[i], window);
            getters[passThrough[i].Index] = caches[i].Getter(() => slot);
        }
        ids = new ValueColumnCache<DataViewRowId>(input.GetIdGetter(), window);
        int first = input.Schema.Count;
        for (int j = 0; j < active.Length; j++)
            if (active[j]) getters[first + j] = mapping.Getter(j, () => results[slot]);
    }

    public override DataViewSchema Schema => schema;
    public override long Position => position;
    public override long Batch => 0;

    public override bool MoveNext()
    {
        if (++slot >= count)
        {
            if (!Fill()) return false;
            slot = 0;
        }
        position++;
        return true;
    }

    bool Fill()
    {
        count = 0;
        while (count < items.Length && !inputDone)
        {
            if (!input.MoveNext())
            {
                inputDone = true; // a cursor that said no is not asked again
                break;
            }
            foreach (var cache in caches) cache.Capture(count);
            ids.Capture(count);
            items[count++] = read();
        }
        if (count == 0) return false;
        results = mapping.Compute(new ArraySegment<TItem>(items, 0, count), active, position + 1);
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ValueGetter<DataViewRowId>)ids.Getter(() => slot);

    public override bool IsColumnActive(DataViewSchema.Column column) => getters[column.Index] is not null;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var getter = getters[column.Index]
            ?? throw new InvalidOperationException($"Column '{column.Name}' was not asked for when this cursor was created.");
        return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
            $"Column '{column.Name}' holds {column.Type.RawType.Name} values; a getter of {typeof(TValue).Name} was asked for.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) input.Dispose();
        base.Dispose(disposing);
    }
}
