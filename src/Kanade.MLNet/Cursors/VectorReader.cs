// Reads vector columns into arrays of their own: read-ahead windows keep rows after the cursor's buffers move on.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet.Cursors;

/// <summary>Readers of a row's vector column that return a new dense array per call.</summary>
internal static class VectorReader
{
    /// <summary>A reader of the Vector&lt;<typeparamref name="T"/>&gt; column <paramref name="column"/>.</summary>
    public static Func<T[]> Create<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<VBuffer<T>>(column);
        VBuffer<T> buffer = default;
        return () =>
        {
            getter(ref buffer);
            var values = new T[buffer.Length];
            buffer.CopyTo(values);
            return values;
        };
    }

    /// <summary>
    /// A reader of a token column as ids: Vector&lt;Int32&gt;, Vector&lt;Int64&gt;, or Vector&lt;Key&lt;UInt32&gt;&gt; (key k is
    /// token k - 1, so a missing key, 0, reads as -1 for the caller to reject with the row).
    /// </summary>
    public static Func<long[]> Tokens(DataViewRow row, DataViewSchema.Column column)
    {
        var item = ((VectorDataViewType)column.Type).ItemType;
        if (item is KeyDataViewType)
        {
            var keys = Create<uint>(row, column);
            return () => Array.ConvertAll(keys(), k => (long)k - 1);
        }
        if (item.RawType == typeof(long)) return Create<long>(row, column);
        var ints = Create<int>(row, column);
        return () => Array.ConvertAll(ints(), v => (long)v);
    }
}
