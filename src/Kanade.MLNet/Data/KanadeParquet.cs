// Token Parquet files: an IDataView of tokens out to part files, and part files back in as an IDataView.
using System.Globalization;
using Kanade.MLNet.Cursors;
using Kanade.MLNet.Data;
using Kanade.MLNet.Schema;
using Microsoft.ML;
using Microsoft.ML.Data;
using Parquet;

namespace Kanade.MLNet;

/// <summary>
/// Writes tokenized data to Parquet part files for spoken-language-model training, and reads them back. The schema and
/// metadata are those of <see cref="KanadeParquetWriter"/>.
/// </summary>
public static class KanadeParquet
{
    /// <summary>The name of part <paramref name="index"/>: <c>part-00000.parquet</c>.</summary>
    public static string PartFileName(int index) => string.Create(CultureInfo.InvariantCulture, $"part-{index:D5}.parquet");

    /// <summary>
    /// Writes <paramref name="data"/> (e.g. a KanadeEncode output) to part files in <paramref name="directory"/>, each part
    /// under a temporary name until complete. Reads the data once, streaming; an empty view gives one empty part.
    /// </summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="data">Rows with the columns named in <paramref name="options"/>.</param>
    /// <param name="directory">The output folder (created if absent).</param>
    /// <param name="options">Columns, part and row-group sizes, metadata.</param>
    /// <returns>The part files written, in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A column is absent or of the wrong type.</exception>
    public static IReadOnlyList<string> Save(MLContext ml, IDataView data, string directory, KanadeParquetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new KanadeParquetOptions();
        options.Validate();
        var metadata = options.Metadata ?? MetadataOf(data.Schema, options);
        var writer = new KanadeParquetWriter(metadata, options.RowsPerRowGroup);
        Directory.CreateDirectory(directory);

        var parts = new List<string>();
        using var rows = ReadRows(data, options).GetEnumerator();
        bool more = rows.MoveNext();
        int part = options.FirstPartIndex;
        IEnumerable<KanadeTokenRow> NextPart()
        {
            for (int n = 0; n < options.RowsPerPart && more; n++)
            {
                yield return rows.Current;
                more = rows.MoveNext();
            }
        }
        do
        {
            string file = Path.Combine(directory, PartFileName(part++));
            writer.WritePart(file, NextPart());
            parts.Add(file);
        } while (more);
        return parts;
    }

    /// <summary>
    /// The rows of <paramref name="data"/> as <see cref="KanadeTokenRow"/>s, read lazily with one cursor (for writers that
    /// manage their own parts, such as a resumable tokenize job).
    /// </summary>
    public static IEnumerable<KanadeTokenRow> ReadRows(IDataView data, KanadeParquetOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var schema = data.Schema;
        const string name = "KanadeParquet.Save";
        var tokens = SchemaChecks.Require(schema, options.TokensColumnName, ColumnTypes.TokenVector, name);
        var global = SchemaChecks.Require(schema, options.GlobalEmbeddingColumnName, ColumnTypes.SingleVector, name);
        var id = options.AudioIdColumnName is { } i ? SchemaChecks.Require(schema, i, ColumnTypes.Text, name) : (DataViewSchema.Column?)null;
        var path = options.PathColumnName is { } p ? SchemaChecks.Require(schema, p, ColumnTypes.Text, name) : (DataViewSchema.Column?)null;
        var waveform = options.WaveformColumnName is { } w && schema.GetColumnOrNull(w) is not null
            ? SchemaChecks.Require(schema, w, ColumnTypes.SingleVector, name) : (DataViewSchema.Column?)null;
        int? rate = waveform is { } wave ? SampleRateOf(wave) : null;
        return Rows(data, tokens, global, id, path, rate is null ? null : waveform, rate);
    }

    static IEnumerable<KanadeTokenRow> Rows(IDataView data, DataViewSchema.Column tokens, DataViewSchema.Column global,
        DataViewSchema.Column? id, DataViewSchema.Column? path, DataViewSchema.Column? waveform, int? rate)
    {
        var needed = new[] { tokens, global, id, path, waveform }.OfType<DataViewSchema.Column>().ToList();
        using var cursor = data.GetRowCursor(needed);
        var readTokens = VectorReader.Tokens(cursor, tokens);
        var readGlobal = VectorReader.Create<float>(cursor, global);
        var readId = id is { } idColumn ? cursor.GetGetter<ReadOnlyMemory<char>>(idColumn) : null;
        var readPath = path is { } pathColumn ? cursor.GetGetter<ReadOnlyMemory<char>>(pathColumn) : null;
        var readWave = waveform is { } waveColumn ? cursor.GetGetter<VBuffer<float>>(waveColumn) : null;
        VBuffer<float> waveBuffer = default;
        ReadOnlyMemory<char> text = default;
        while (cursor.MoveNext())
        {
            string audioId = "", file = "";
            if (readId is not null) { readId(ref text); audioId = text.ToString(); }
            if (readPath is not null) { readPath(ref text); file = text.ToString(); }
            double? duration = null;
            if (readWave is not null)
            {
                readWave(ref waveBuffer);
                duration = (double)waveBuffer.Length / rate!.Value;
            }
            int[] ids = Array.ConvertAll(readTokens(), t => checked((int)t));
            yield return new KanadeTokenRow(audioId, file, ids, readGlobal(), duration, readWave is null ? null : rate);
        }
    }

    static int? SampleRateOf(DataViewSchema.Column waveform)
    {
        if (waveform.Annotations.Schema.GetColumnOrNull(KanadeAnnotations.SampleRate) is not { Type: NumberDataViewType n } || n.RawType != typeof(int))
            return null;
        int rate = 0;
        waveform.Annotations.GetValue(KanadeAnnotations.SampleRate, ref rate);
        return rate > 0 ? rate : null;
    }

    static KanadeParquetMetadata MetadataOf(DataViewSchema schema, KanadeParquetOptions options)
    {
        var metadata = KanadeParquetMetadata.FromAnnotations(
            schema.GetColumnOrNull(options.TokensColumnName) ?? throw new ArgumentOutOfRangeException(nameof(options),
                $"KanadeParquet.Save: could not find input column '{options.TokensColumnName}'."),
            schema.GetColumnOrNull(options.GlobalEmbeddingColumnName));
        if (options.ModelReference is { } reference)
            metadata = metadata with
            {
                WeightsSha256 = reference.WeightsSha256,
                ModelConfigSha256 = metadata.ModelConfigSha256.Length > 0 ? metadata.ModelConfigSha256 : reference.ConfigSha256,
            };
        return metadata;
    }

    /// <summary>
    /// Reads token Parquet files back as a streaming <see cref="IDataView"/> with the file's column names: <c>audio_id</c>,
    /// <c>path</c> (Text), <c>tokens</c> (Vector&lt;Int32&gt;), <c>num_tokens</c> (Int32), <c>global_embedding</c>
    /// (Vector&lt;Single&gt;), <c>duration_s</c> (Double, NaN for null), <c>sample_rate</c> (Int32, 0 for null).
    /// </summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="path">A part file, or a folder whose <c>part-*.parquet</c> files are read in name order.</param>
    public static IDataView Load(MLContext ml, string path)
    {
        ArgumentNullException.ThrowIfNull(ml);
        return new ParquetDataView(Parts(path));
    }

    /// <summary>The part files of <paramref name="path"/>: the file itself, or a folder's <c>part-*.parquet</c> in name order.</summary>
    public static IReadOnlyList<string> Parts(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"'{path}' is neither a Parquet file nor a folder of part files.");
        var parts = Directory.GetFiles(path, "part-*.parquet").Order(StringComparer.Ordinal).ToArray();
        return parts.Length > 0 ? parts : throw new FileNotFoundException($"Folder '{path}' holds no part-*.parquet files.", path);
    }

    /// <summary>The Kanade metadata of a token file.</summary>
    /// <exception cref="InvalidDataException">The file has no Kanade metadata.</exception>
    public static KanadeParquetMetadata ReadMetadata(string file)
    {
        using var stream = File.OpenRead(file);
        var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        try
        {
            return KanadeParquetMetadata.FromKeyValues(reader.CustomMetadata, file);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
