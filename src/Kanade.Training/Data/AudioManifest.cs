// Reads the manifests of kanade-tokenizer data/dataset.py (CSV) and their Parquet equivalent (MIT).
using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Kanade.Training.Data;

/// <summary>
/// Reads dataset manifests with the columns <c>audio_id, path, length, sample_rate</c> (any order, other
/// columns ignored), from CSV (header row, RFC 4180 quoting) or Parquet, chosen by extension.
/// </summary>
public static partial class AudioManifest
{
    /// <summary>The required column names.</summary>
    public static readonly IReadOnlyList<string> Columns = ["audio_id", "path", "length", "sample_rate"];

    /// <summary>Reads a <c>.csv</c> or <c>.parquet</c> manifest.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A column is missing, a value is malformed or an audio_id repeats.</exception>
    public static IReadOnlyList<AudioManifestEntry> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Manifest '{path}' does not exist.", path);
        var entries = System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path),
            ".parquet" => ReadParquetAsync(path).GetAwaiter().GetResult(),
            string other => throw new InvalidDataException($"Manifest '{path}': extension '{other}' is not supported; use .csv or .parquet."),
        };
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Count; i++)
            if (!seen.TryAdd(entries[i].AudioId, i))
                throw new InvalidDataException(
                    $"Manifest '{path}': audio_id '{entries[i].AudioId}' appears in rows {seen[entries[i].AudioId] + 1} and {i + 1}; ids must be unique.");
        return entries;
    }

    static List<AudioManifestEntry> ReadCsv(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = ReadRecord(reader) ?? throw new InvalidDataException($"Manifest '{path}' is empty; expected a header row {string.Join(",", Columns)}.");
        int[] index = [.. Columns.Select(c => ColumnIndex(header, c, path))];
        var entries = new List<AudioManifestEntry>();
        int row = 1;
        for (var record = ReadRecord(reader); record != null; record = ReadRecord(reader))
        {
            row++;
            if (record.Count == 1 && record[0].Length == 0) continue;     // blank line
            string Field(int column) => index[column] < record.Count ? record[index[column]]
                : throw new InvalidDataException($"Manifest '{path}' row {row}: {record.Count} fields, no '{Columns[column]}'.");
            entries.Add(new AudioManifestEntry(
                Field(0), Field(1),
                ParseInteger(Field(2), "length", path, row),
                checked((int)ParseInteger(Field(3), "sample_rate", path, row))));
        }
        return entries;
    }

    static int ColumnIndex(IReadOnlyList<string> header, string column, string path)
    {
        for (int i = 0; i < header.Count; i++)
            if (header[i].Trim().TrimStart('\uFEFF') == column) return i;
        throw new InvalidDataException($"Manifest '{path}' has no column '{column}'; found [{string.Join(", ", header)}], expected {string.Join(",", Columns)}.");
    }

    static long ParseInteger(string text, string column, string path, int row)
    {
        if (long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value >= 0)
            return value;
        throw new InvalidDataException($"Manifest '{path}' row {row}: {column} '{text}' is not a non-negative integer.");
    }

    // One CSV record; quoted fields may hold commas, doubled quotes and line breaks. Null at end of file.
    static List<string>? ReadRecord(TextReader reader)
    {
        int c = reader.Read();
        if (c < 0) return null;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (; c >= 0; c = reader.Read())
        {
            char ch = (char)c;
            if (quoted)
            {
                if (ch != '"') field.Append(ch);
                else if (reader.Peek() == '"') field.Append((char)reader.Read());
                else quoted = false;
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\n') break;
            else if (ch != '\r') field.Append(ch);
        }
        fields.Add(field.ToString());
        return fields;
    }

    static async Task<List<AudioManifestEntry>> ReadParquetAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.DataFields;
        DataField Field(string name) => fields.FirstOrDefault(f => f.Name == name)
            ?? throw new InvalidDataException(
                $"Manifest '{path}' has no column '{name}'; found [{string.Join(", ", fields.Select(f => f.Name))}], expected {string.Join(",", Columns)}.");
        DataField idField = Field("audio_id"), pathField = Field("path"), lengthField = Field("length"), rateField = Field("sample_rate");

        var entries = new List<AudioManifestEntry>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int rows = checked((int)group.RowCount);
            var ids = await ReadStrings(group, idField, rows, path);
            var paths = await ReadStrings(group, pathField, rows, path);
            var lengths = await ReadIntegers(group, lengthField, rows, path);
            var rates = await ReadIntegers(group, rateField, rows, path);
            for (int i = 0; i < rows; i++)
                entries.Add(new AudioManifestEntry(ids[i], paths[i], lengths[i], checked((int)rates[i])));
        }
        return entries;
    }

    static async Task<string[]> ReadStrings(ParquetRowGroupReader group, DataField field, int rows, string path)
    {
        // Parquet.Net describes UTF-8 columns as string or ReadOnlyMemory<char> depending on the writer's options.
        if (field.ClrType != typeof(string) && field.ClrType != typeof(ReadOnlyMemory<char>))
            throw new InvalidDataException($"Manifest '{path}': column '{field.Name}' holds {field.ClrType.Name}, expected strings.");
        var values = new string?[rows];
        await group.ReadAsync(field, values.AsMemory());
        return [.. values.Select(v => v ?? throw new InvalidDataException($"Manifest '{path}': column '{field.Name}' is empty in a row."))];
    }

    static async Task<long[]> ReadIntegers(ParquetRowGroupReader group, DataField field, int rows, string path)
    {
        if (field.ClrType == typeof(long)) return Checked(await Read<long>(group, field, rows, path), field, path);
        if (field.ClrType == typeof(int)) return Checked([.. (await Read<int>(group, field, rows, path)).Select(v => (long)v)], field, path);
        throw new InvalidDataException($"Manifest '{path}': column '{field.Name}' holds {field.ClrType.Name}, expected integers.");
    }

    static async Task<T[]> Read<T>(ParquetRowGroupReader group, DataField field, int rows, string path) where T : struct
    {
        if (!field.IsNullable)
        {
            var values = new T[rows];
            await group.ReadAsync(field, values.AsMemory());
            return values;
        }
        var nullable = new T?[rows];
        await group.ReadAsync(field, nullable.AsMemory());
        return [.. nullable.Select(v => v ?? throw new InvalidDataException($"Manifest '{path}': column '{field.Name}' is empty in a row."))];
    }

    static long[] Checked(long[] values, DataField field, string path) =>
        values.All(v => v >= 0) ? values
            : throw new InvalidDataException($"Manifest '{path}': column '{field.Name}' holds a negative value.");
}
