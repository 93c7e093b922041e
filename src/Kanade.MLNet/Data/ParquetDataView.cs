// A streaming IDataView over Parquet files: one row group of the asked-for columns in memory at a time.
using Microsoft.ML;
using Parquet;

namespace Kanade.MLNet.Data;

/// <summary>
/// Rows of one or more Parquet files with the same schema, read row group by row group: memory holds one row group of
/// the columns a cursor asks for, whatever the number of rows. Columns whose types have no counterpart here (see
/// <see cref="ParquetColumnReader"/>) are left out.
/// </summary>
internal sealed class ParquetDataView : IDataView
{
    readonly IReadOnlyList<string> files;
    readonly ParquetColumnReader[] prototypes;
    readonly Lazy<long> rowCount;

    /// <param name="files">The files, read in this order.</param>
    /// <param name="rename">File column name -> ML.NET column name, for the columns to rename.</param>
    public ParquetDataView(IReadOnlyList<string> files, IReadOnlyDictionary<string, string>? rename = null)
    {
        if (files.Count == 0) throw new ArgumentException("No Parquet files to read.", nameof(files));
        foreach (var file in files)
            if (!File.Exists(file)) throw new FileNotFoundException($"Parquet file '{file}' does not exist.", file);
        this.files = files;
        using (var stream = File.OpenRead(files[0]))
        {
            var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            prototypes = [.. reader.Schema.Fields.Select(ParquetColumnReader.For).OfType<ParquetColumnReader>()];
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        var builder = new DataViewSchema.Builder();
        foreach (var column in prototypes)
            builder.AddColumn(rename?.GetValueOrDefault(column.FileName) ?? column.FileName, column.Type);
        Schema = builder.ToSchema();
        rowCount = new(() => files.Sum(CountRows));
    }

    static long CountRows(string file)
    {
        using var stream = File.OpenRead(file);
        var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        long rows = reader.RowGroups.Sum(g => g.RowCount);
        reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return rows;
    }

    public DataViewSchema Schema { get; }
    public bool CanShuffle => false;
    public long? GetRowCount() => rowCount.Value;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new ParquetCursor(files, Schema, prototypes, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
