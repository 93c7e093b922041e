// The ITransformer side every Kanade step shares: lazy, not row-to-row, saved only through KanadePipeline.
using Kanade.MLNet.Schema;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet;

/// <summary>
/// What the Kanade transformers (<see cref="AudioLoadingTransformer"/>, <see cref="KanadeEncodingTransformer"/>,
/// <see cref="KanadeDecodingTransformer"/>, <see cref="VocodingTransformer"/>) have in common: the output schema is the
/// input's plus the step's columns, <see cref="Transform"/> returns a lazy view, rows are not mapped one at a time, and
/// ML.NET's model saving is refused in favour of <see cref="KanadePipeline.Save"/>.
/// </summary>
public abstract class KanadeTransformer : ITransformer
{
    readonly string notRowToRowMessage;

    /// <param name="notRowToRowMessage">The step's answer to <see cref="GetRowToRowMapper"/>, naming the step.</param>
    private protected KanadeTransformer(string notRowToRowMessage) => this.notRowToRowMessage = notRowToRowMessage;

    /// <summary>False: rows are computed a window at a time (or, for LoadAudio, may be skipped); use <see cref="Transform"/>.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The input schema plus the columns this step creates (see the class's description).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is absent or of the wrong type, size or annotation; the message names the step and the column.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInputs(inputSchema);
        return OutputSchemas.Append(inputSchema, AddedColumns());
    }

    /// <summary>Not supported: use <see cref="Transform"/>.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException(notRowToRowMessage);

    /// <summary>A lazy view of <paramref name="input"/> with this step's columns; nothing is read or run until a cursor moves.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is absent or of the wrong type, size or annotation.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputs(input.Schema);
        return View(input);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => throw KanadePipeline.SaveNotSupported(this);

    internal abstract void CheckInputs(DataViewSchema schema);
    internal abstract void CheckInputs(SchemaShape shape);
    internal abstract DataViewSchema AddedColumns();

    /// <summary>The lazy view over an input whose schema <see cref="CheckInputs(DataViewSchema)"/> accepted.</summary>
    private protected abstract IDataView View(IDataView input);
}
