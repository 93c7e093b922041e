// Reads an Int32 or Int64 column as long.
using Microsoft.ML;

namespace Kanade.MLNet.Cursors;

/// <summary>A reader of an Int32 or Int64 scalar column that returns long.</summary>
internal static class IntegerGetter
{
    public static Func<long> Create(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type.RawType == typeof(long))
        {
            var getter = row.GetGetter<long>(column);
            return () => { long v = 0; getter(ref v); return v; };
        }
        var narrow = row.GetGetter<int>(column);
        return () => { int v = 0; narrow(ref v); return v; };
    }
}
