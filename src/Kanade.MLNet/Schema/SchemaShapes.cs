// Estimator output shapes. SchemaShape.Column has no public constructor and SchemaShape.Create is internal to
// Microsoft.ML, so a third-party estimator describes its new columns as a DataViewSchema and converts it here.
using System.Reflection;
using Microsoft.ML;

namespace Kanade.MLNet.Schema;

/// <summary>Builds an estimator's output <see cref="SchemaShape"/>: the input's columns plus (or replaced by) new ones.</summary>
internal static class SchemaShapes
{
    static readonly Func<DataViewSchema, SchemaShape> create = FindCreate();

    static Func<DataViewSchema, SchemaShape> FindCreate()
    {
        // The one reflective call in Kanade.MLNet: the internal factory every ML.NET estimator uses for this conversion.
        var method = typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic,
            [typeof(DataViewSchema)]);
        if (method is null || method.ReturnType != typeof(SchemaShape))
            return _ => throw new NotSupportedException(
                $"This version of Microsoft.ML ({typeof(SchemaShape).Assembly.GetName().Version}) has no SchemaShape.Create(DataViewSchema); " +
                "Kanade.MLNet was built against Microsoft.ML 5.0. Call Fit and the transformer's GetOutputSchema instead.");
        return method.CreateDelegate<Func<DataViewSchema, SchemaShape>>();
    }

    /// <summary>The shape of <paramref name="input"/> with <paramref name="added"/>'s columns appended (a column of the same name is replaced).</summary>
    public static SchemaShape Extend(SchemaShape input, DataViewSchema added)
    {
        var columns = input.ToDictionary(c => c.Name);
        foreach (var column in create(added)) columns[column.Name] = column;
        return new SchemaShape(columns.Values);
    }

    /// <summary>The shape of <paramref name="input"/> without the columns named in <paramref name="removed"/>.</summary>
    public static SchemaShape Without(SchemaShape input, IEnumerable<string> removed)
    {
        var drop = new HashSet<string>(removed);
        return new SchemaShape(input.Where(c => !drop.Contains(c.Name)));
    }
}
