// ML.NET's schema-mismatch messages, for transforms outside Microsoft's assemblies (whose helpers are internal).
using Microsoft.ML;

namespace Kanade.MLNet.Schema;

/// <summary>
/// Finds the input columns a transform reads and checks their types, at pipeline-building time (on a
/// <see cref="SchemaShape"/>) and at run time (on a <see cref="DataViewSchema"/>), with ML.NET's wording:
/// "Schema mismatch for input column 'Path': expected Text, got Single".
/// </summary>
internal static class SchemaChecks
{
    /// <summary>The visible column <paramref name="name"/> of <paramref name="schema"/>, checked against <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is absent or of another type (ML.NET's exception for schema mismatches).</exception>
    public static DataViewSchema.Column Require(DataViewSchema schema, string name, ColumnKind kind, string transform)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("inputSchema",
                $"{transform}: could not find input column '{name}'. The data has columns: {Names(schema)}.");
        if (!kind.Accepts(column.Type))
            throw new ArgumentOutOfRangeException("inputSchema",
                $"{transform}: schema mismatch for input column '{name}': expected {kind.Description}, got {ColumnTypes.Describe(column.Type)}.");
        return column;
    }

    /// <summary>The same check on an estimator's input shape.</summary>
    public static void Require(SchemaShape shape, string name, ColumnKind kind, string transform)
    {
        var column = shape.FirstOrDefault(c => c.Name == name);
        if (column.Name is null)
            throw new ArgumentOutOfRangeException("inputSchema",
                $"{transform}: could not find input column '{name}'. The data has columns: {string.Join(", ", shape.Select(c => $"'{c.Name}'"))}.");
        if (!kind.AcceptsShape(column))
            throw new ArgumentOutOfRangeException("inputSchema",
                $"{transform}: schema mismatch for input column '{name}': expected {kind.Description}, got {ColumnTypes.Describe(column)}.");
    }

    static string Names(DataViewSchema schema) => string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));
}
