// Read-ahead cursors hand out rows after the input cursor has moved on: they keep copies of the pass-through values.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet.Cursors;

/// <summary>Copies of one input column's values for the rows of a read-ahead window, by slot.</summary>
internal abstract class ColumnCache
{
    /// <summary>A cache for <paramref name="column"/> of <paramref name="cursor"/> holding <paramref name="capacity"/> rows.</summary>
    public static ColumnCache Create(DataViewRowCursor cursor, DataViewSchema.Column column, int capacity)
    {
        var raw = column.Type.RawType;
        var type = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorColumnCache<>).MakeGenericType(raw.GetGenericArguments()[0])
            : typeof(ValueColumnCache<>).MakeGenericType(raw);
        return (ColumnCache)Activator.CreateInstance(type, cursor, column, capacity)!;
    }

    /// <summary>Copies the input cursor's current value into <paramref name="slot"/>.</summary>
    public abstract void Capture(int slot);

    /// <summary>A <see cref="ValueGetter{TValue}"/> of the column's raw type reading the slot <paramref name="slot"/> returns.</summary>
    public abstract Delegate Getter(Func<int> slot);
}

/// <summary>Scalars (numbers, text, ids): copied by value; text memory is immutable, so sharing it is safe.</summary>
internal sealed class ValueColumnCache<T> : ColumnCache
{
    readonly ValueGetter<T> source;
    readonly T[] values;

    public ValueColumnCache(DataViewRowCursor cursor, DataViewSchema.Column column, int capacity)
        : this(cursor.GetGetter<T>(column), capacity) { }

    public ValueColumnCache(ValueGetter<T> source, int capacity)
    {
        this.source = source;
        values = new T[capacity];
    }

    public override void Capture(int slot) => source(ref values[slot]);

    public override Delegate Getter(Func<int> slot) => (ValueGetter<T>)((ref T value) => value = values[slot()]);
}

/// <summary>Vectors: deep copies, since an input getter may reuse its buffers on the next row.</summary>
internal sealed class VectorColumnCache<T> : ColumnCache
{
    readonly ValueGetter<VBuffer<T>> source;
    readonly VBuffer<T>[] values;
    VBuffer<T> scratch;

    public VectorColumnCache(DataViewRowCursor cursor, DataViewSchema.Column column, int capacity)
    {
        source = cursor.GetGetter<VBuffer<T>>(column);
        values = new VBuffer<T>[capacity];
    }

    public override void Capture(int slot)
    {
        source(ref scratch);
        scratch.CopyTo(ref values[slot]);
    }

    public override Delegate Getter(Func<int> slot) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => values[slot()].CopyTo(ref value));
}
