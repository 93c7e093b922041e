// Reads one column of a Parquet row group into managed arrays and serves it to ML.NET getters.
using Microsoft.ML;
using Microsoft.ML.Data;
using Parquet;
using Parquet.Schema;

namespace Kanade.MLNet.Data;

/// <summary>
/// One Parquet column as an ML.NET column: strings as Text, int32/int64/float/double/boolean as numbers (a null
/// becomes NaN for floating point, 0 or false otherwise, empty text for strings), a list of numbers as a
/// variable-length vector (a null list as an empty one).
/// </summary>
internal abstract class ParquetColumnReader
{
    /// <summary>The column's name in the file.</summary>
    public abstract string FileName { get; }
    /// <summary>The ML.NET type it is read as.</summary>
    public abstract DataViewType Type { get; }
    /// <summary>The leaf field read (for a list, its element).</summary>
    public abstract DataField Field { get; }

    /// <summary>A new reader of the same column with buffers of its own (one per cursor).</summary>
    public abstract ParquetColumnReader Fresh();

    /// <summary>Reads the column of one row group.</summary>
    public abstract Task LoadAsync(ParquetRowGroupReader group, int rows);

    /// <summary>A getter of the row <paramref name="row"/> returns in the group last loaded.</summary>
    public abstract Delegate Getter(Func<int> row);

    /// <summary>A reader for <paramref name="field"/>, or null when its type has no ML.NET counterpart here.</summary>
    public static ParquetColumnReader? For(Field field)
    {
        if (field is DataField data && !data.IsArray)
        {
            var type = data.ClrType;
            // Parquet.Net describes UTF-8 columns as string or ReadOnlyMemory<char> depending on how they were written.
            if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>)) return new TextColumnReader(data);
            if (type == typeof(int)) return new ScalarColumnReader<int>(data, NumberDataViewType.Int32, 0);
            if (type == typeof(long)) return new ScalarColumnReader<long>(data, NumberDataViewType.Int64, 0);
            if (type == typeof(float)) return new ScalarColumnReader<float>(data, NumberDataViewType.Single, float.NaN);
            if (type == typeof(double)) return new ScalarColumnReader<double>(data, NumberDataViewType.Double, double.NaN);
            if (type == typeof(bool)) return new ScalarColumnReader<bool>(data, BooleanDataViewType.Instance, false);
            return null;
        }
        if (field is ListField { Item: DataField item } list && !item.IsArray)
        {
            var type = item.ClrType;
            if (type == typeof(int)) return new ListColumnReader<int>(list.Name, item, NumberDataViewType.Int32, 0);
            if (type == typeof(long)) return new ListColumnReader<long>(list.Name, item, NumberDataViewType.Int64, 0);
            if (type == typeof(float)) return new ListColumnReader<float>(list.Name, item, NumberDataViewType.Single, float.NaN);
            if (type == typeof(double)) return new ListColumnReader<double>(list.Name, item, NumberDataViewType.Double, double.NaN);
        }
        return null;
    }
}

internal sealed class TextColumnReader(DataField dataField) : ParquetColumnReader
{
    string?[] values = [];
    public override string FileName => dataField.Name;
    public override DataViewType Type => TextDataViewType.Instance;
    public override DataField Field => dataField;
    public override ParquetColumnReader Fresh() => new TextColumnReader(dataField);

    public override async Task LoadAsync(ParquetRowGroupReader group, int rows)
    {
        values = new string?[rows];
        await group.ReadAsync(dataField, values.AsMemory()!);
    }

    public override Delegate Getter(Func<int> row) =>
        (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = (values[row()] ?? "").AsMemory());
}

internal sealed class ScalarColumnReader<T>(DataField dataField, DataViewType type, T missing) : ParquetColumnReader where T : struct
{
    T[] values = [];
    public override string FileName => dataField.Name;
    public override DataViewType Type => type;
    public override DataField Field => dataField;
    public override ParquetColumnReader Fresh() => new ScalarColumnReader<T>(dataField, type, missing);

    public override async Task LoadAsync(ParquetRowGroupReader group, int rows)
    {
        if (!dataField.IsNullable)
        {
            values = new T[rows];
            await group.ReadAsync(dataField, values.AsMemory());
            return;
        }
        var nullable = new T?[rows];
        await group.ReadAsync(dataField, nullable.AsMemory());
        values = nullable.Select(v => v ?? missing).ToArray();
    }

    public override Delegate Getter(Func<int> row) => (ValueGetter<T>)((ref T value) => value = values[row()]);
}

internal sealed class ListColumnReader<T>(string name, DataField element, DataViewType itemType, T missing) : ParquetColumnReader where T : struct
{
    T[][] values = [];
    public override string FileName => name;
    public override DataViewType Type { get; } = new VectorDataViewType((PrimitiveDataViewType)itemType);
    public override DataField Field => element;
    public override ParquetColumnReader Fresh() => new ListColumnReader<T>(name, element, itemType, missing);

    public override async Task LoadAsync(ParquetRowGroupReader group, int rows)
    {
        int entries = checked((int)(group.GetMetadata(element)?.MetaData?.NumValues ?? 0));
        var present = new T[entries];
        var definitions = new int[entries];
        var repetitions = new int[entries];
        await group.ReadRawAsync(element, present.AsMemory(), definitions.AsMemory(), repetitions.AsMemory());
        values = Assemble(present, definitions, repetitions, rows);
    }

    // Repetition 0 starts a row; an entry at the leaf's full definition level is a value, one level below a null
    // element (when elements are nullable), anything lower a null or empty list.
    T[][] Assemble(T[] present, int[] definitions, int[] repetitions, int rows)
    {
        var result = new T[rows][];
        int max = element.MaxDefinitionLevel, next = 0, row = -1;
        var current = new List<T>();
        for (int i = 0; i < definitions.Length; i++)
        {
            if (repetitions.Length == 0 || repetitions[i] == 0)
            {
                if (row >= 0) result[row] = [.. current];
                current.Clear();
                row++;
            }
            if (definitions[i] == max) current.Add(present[next++]);
            else if (element.IsNullable && definitions[i] == max - 1) current.Add(missing);
        }
        if (row >= 0) result[row] = [.. current];
        if (row + 1 != rows)
            throw new InvalidDataException($"Parquet column '{name}' holds {row + 1} lists in a row group of {rows} rows.");
        return result;
    }

    public override Delegate Getter(Func<int> row) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) =>
    {
        T[] list = values[row()];
        new VBuffer<T>(list.Length, list).CopyTo(ref value);
    });
}
