// Walks the row groups of Parquet files, loading the active columns of one group at a time.
using Microsoft.ML;
using Microsoft.ML.Data;
using Parquet;

namespace Kanade.MLNet.Data;

/// <summary>The cursor of a <see cref="ParquetDataView"/>.</summary>
internal sealed class ParquetCursor : DataViewRowCursor
{
    readonly IReadOnlyList<string> files;
    readonly DataViewSchema schema;
    readonly ParquetColumnReader?[] columns;
    readonly Delegate?[] getters;
    int file = -1, group = -1, row = -1, rows;
    bool done;
    long position = -1;
    Stream? stream;
    ParquetReader? reader;

    public ParquetCursor(IReadOnlyList<string> files, DataViewSchema schema, ParquetColumnReader[] prototypes, HashSet<int> active)
    {
        this.files = files;
        this.schema = schema;
        columns = new ParquetColumnReader?[prototypes.Length];
        getters = new Delegate?[prototypes.Length];
        for (int i = 0; i < prototypes.Length; i++)
        {
            if (!active.Contains(i)) continue;
            // A fresh reader per cursor: cursors do not share row-group buffers.
            columns[i] = prototypes[i].Fresh();
            getters[i] = columns[i]!.Getter(() => row);
        }
    }

    public override DataViewSchema Schema => schema;
    public override long Position => position;
    public override long Batch => 0;

    public override bool MoveNext()
    {
        if (done) return false;
        if (++row >= rows)
        {
            do
            {
                if (!NextGroup())
                {
                    done = true;
                    return false;
                }
            } while (rows == 0);
        }
        position++;
        return true;
    }

    bool NextGroup()
    {
        row = 0;
        while (reader is null || ++group >= reader.RowGroupCount)
        {
            if (!OpenNextFile()) return false;
        }
        using var groupReader = reader.OpenRowGroupReader(group);
        rows = checked((int)groupReader.RowCount);
        foreach (var column in columns)
        {
            if (column is null) continue;
            var field = reader.Schema.DataFields.FirstOrDefault(f => f.Path.ToString() == column.Field.Path.ToString())
                ?? throw new InvalidDataException($"Parquet file '{files[file]}' has no column '{column.FileName}' of the type '{files[0]}' has.");
            if (field.ClrType != column.Field.ClrType)
                throw new InvalidDataException(
                    $"Parquet file '{files[file]}': column '{column.FileName}' holds {field.ClrType.Name}; '{files[0]}' holds {column.Field.ClrType.Name}.");
            column.LoadAsync(groupReader, rows).GetAwaiter().GetResult();
        }
        return true;
    }

    bool OpenNextFile()
    {
        reader?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        stream?.Dispose();
        reader = null;
        stream = null;
        if (++file >= files.Count) return false;
        stream = File.OpenRead(files[file]);
        reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        group = -1;
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId id) => id = new DataViewRowId((ulong)position, 0);

    public override bool IsColumnActive(DataViewSchema.Column column) => getters[column.Index] is not null;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var getter = getters[column.Index] ?? throw new InvalidOperationException($"Column '{column.Name}' was not asked for when this cursor was created.");
        return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
            $"Column '{column.Name}' holds {column.Type.RawType.Name} values; a getter of {typeof(TValue).Name} was asked for.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            reader?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            stream?.Dispose();
        }
        base.Dispose(disposing);
    }
}
