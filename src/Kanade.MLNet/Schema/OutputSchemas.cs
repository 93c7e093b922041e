// Output schemas of the Kanade transforms: the input's columns, then the transform's own.
using Microsoft.ML;

namespace Kanade.MLNet.Schema;

/// <summary>Appends a transform's columns to its input schema.</summary>
internal static class OutputSchemas
{
    /// <summary><paramref name="input"/>'s columns (same indices) followed by <paramref name="added"/>'s, which hide input columns of the same names.</summary>
    public static DataViewSchema Append(DataViewSchema input, DataViewSchema added)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumns(added);
        return builder.ToSchema();
    }
}
