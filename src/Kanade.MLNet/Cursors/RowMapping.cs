// What a model step adds to each row, split into the parts a read-ahead cursor needs.
using Microsoft.ML;

namespace Kanade.MLNet.Cursors;

/// <summary>
/// A transform that adds columns computed by a model from a few input columns, a window of rows at a time.
/// <see cref="MappedDataView{TItem, TResult}"/> drives it; each transform supplies one.
/// </summary>
/// <typeparam name="TItem">What is read from one input row (e.g. a waveform).</typeparam>
/// <typeparam name="TResult">What the model makes of it (e.g. tokens and an embedding), in managed memory.</typeparam>
internal abstract class RowMapping<TItem, TResult>
{
    /// <summary>The columns added, in order; their annotations included.</summary>
    public abstract DataViewSchema AddedColumns { get; }

    /// <summary>Rows read ahead and computed together.</summary>
    public abstract int ReadAheadRows { get; }

    /// <summary>The input columns needed to compute the active added columns (<paramref name="active"/> indexes <see cref="AddedColumns"/>).</summary>
    public abstract IEnumerable<DataViewSchema.Column> Dependencies(DataViewSchema input, bool[] active);

    /// <summary>A function reading the item of <paramref name="cursor"/>'s current row.</summary>
    public abstract Func<TItem> Reader(DataViewRowCursor cursor, bool[] active);

    /// <summary>Computes the rows of one window; <paramref name="firstRow"/> is the position of <c>items[0]</c> (for messages).</summary>
    public abstract TResult[] Compute(IReadOnlyList<TItem> items, bool[] active, long firstRow);

    /// <summary>A <see cref="ValueGetter{TValue}"/> for added column <paramref name="added"/> reading the row <paramref name="current"/> returns.</summary>
    public abstract Delegate Getter(int added, Func<TResult> current);
}
