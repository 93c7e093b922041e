// LoadAudio's cursor: input columns pass straight through; the waveform is read once per row, on first use.
using Microsoft.ML;
using Microsoft.ML.Data;
using Kanade.MLNet.Cursors;

namespace Kanade.MLNet.Audio;

/// <summary>Reads each row's audio at most once, when asked (or on <see cref="MoveNext"/> under <see cref="AudioErrorPolicy.SkipRow"/>).</summary>
internal sealed class AudioLoadingCursor : DataViewRowCursor
{
    readonly DataViewRowCursor input;
    readonly DataViewSchema schema;
    readonly AudioLoadingTransformer transformer;
    readonly HashSet<int> needed;
    readonly int inputCount;
    readonly ValueGetter<ReadOnlyMemory<char>> path;
    readonly Func<long>? offset, frames;
    long position = -1;
    bool loaded;
    float[] waveform = [];
    string error = "";

    public AudioLoadingCursor(DataViewRowCursor input, DataViewSchema schema, AudioLoadingTransformer transformer, HashSet<int> needed)
    {
        this.input = input;
        this.schema = schema;
        this.transformer = transformer;
        this.needed = needed;
        inputCount = input.Schema.Count;
        var options = transformer.Options;
        path = input.GetGetter<ReadOnlyMemory<char>>(input.Schema[options.InputColumnName]);
        if (options.OffsetColumnName is { } o) offset = IntegerGetter.Create(input, input.Schema[o]);
        if (options.FramesColumnName is { } f) frames = IntegerGetter.Create(input, input.Schema[f]);
    }

    public override DataViewSchema Schema => schema;
    public override long Position => position;
    public override long Batch => input.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

    public override bool MoveNext()
    {
        while (input.MoveNext())
        {
            loaded = false;
            if (transformer.ErrorPolicy == AudioErrorPolicy.SkipRow)
            {
                Load();
                if (error.Length > 0) continue;
            }
            position++;
            return true;
        }
        return false;
    }

    void Load()
    {
        if (loaded) return;
        loaded = true;
        waveform = [];
        error = "";
        ReadOnlyMemory<char> value = default;
        path(ref value);
        string file = transformer.Resolve(value.ToString());
        try
        {
            if (value.IsEmpty) throw new AudioFileException(file, "the path is empty.");
            waveform = AudioReader.Load(file, transformer.SampleRate, offset?.Invoke() ?? 0, frames?.Invoke() ?? -1);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            string problem = e is AudioFileException audio ? audio.Problem : e.Message;
            string where = $"{AudioLoadingTransformer.Name}, input row {input.Position}, column '{transformer.InputColumnName}'";
            if (transformer.ErrorPolicy == AudioErrorPolicy.Throw)
                throw new AudioFileException(file, $"{problem} ({where})", e);
            error = $"Audio file '{file}': {problem}";
        }
    }

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index < inputCount ? needed.Contains(column.Index) && input.IsColumnActive(input.Schema[column.Index]) : needed.Contains(column.Index);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' was not asked for when this cursor was created.");
        if (column.Index < inputCount) return input.GetGetter<TValue>(input.Schema[column.Index]);
        Delegate getter = column.Index == inputCount
            ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => { Load(); new VBuffer<float>(waveform.Length, waveform).CopyTo(ref value); })
            : (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => { Load(); value = error.AsMemory(); });
        return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
            $"Column '{column.Name}' holds {column.Type.RawType.Name} values; a getter of {typeof(TValue).Name} was asked for.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) input.Dispose();
        base.Dispose(disposing);
    }
}
