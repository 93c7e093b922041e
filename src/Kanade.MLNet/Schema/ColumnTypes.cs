// How Kanade's transforms name, recognise and check ML.NET column types.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet.Schema;

/// <summary>One kind of column a transform accepts: a test on the type and its name in messages.</summary>
/// <param name="Description">How messages name it, e.g. <c>Vector&lt;Single&gt;</c>.</param>
/// <param name="Accepts">True for the types that fit.</param>
/// <param name="AcceptsShape">The same test on an estimator's <see cref="SchemaShape.Column"/>.</param>
internal sealed record ColumnKind(string Description, Func<DataViewType, bool> Accepts, Func<SchemaShape.Column, bool> AcceptsShape);

/// <summary>The column kinds the transforms read, and type names for messages ("Text", "Vector&lt;Single&gt;", "Key&lt;UInt32, 12800&gt;").</summary>
internal static class ColumnTypes
{
    /// <summary>A text scalar (a path).</summary>
    public static readonly ColumnKind Text = new("Text",
        t => t is TextDataViewType,
        c => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType is TextDataViewType && !c.IsKey);

    /// <summary>An Int32 or Int64 scalar (sample offsets and counts).</summary>
    public static readonly ColumnKind Integer = new("Int32 or Int64",
        t => t is NumberDataViewType n && (n.RawType == typeof(int) || n.RawType == typeof(long)),
        c => c.Kind == SchemaShape.Column.VectorKind.Scalar && !c.IsKey && (c.ItemType.RawType == typeof(int) || c.ItemType.RawType == typeof(long)));

    /// <summary>A vector of Single, of any length (waveforms, mels, embeddings).</summary>
    public static readonly ColumnKind SingleVector = new("Vector<Single>",
        t => t is VectorDataViewType v && v.ItemType == NumberDataViewType.Single,
        c => c.Kind != SchemaShape.Column.VectorKind.Scalar && !c.IsKey && c.ItemType == NumberDataViewType.Single);

    /// <summary>Token ids: a vector of Int32 or Int64, or of keys (key k is token k - 1).</summary>
    public static readonly ColumnKind TokenVector = new("Vector<Int32>, Vector<Int64> or Vector<Key<UInt32>>",
        t => t is VectorDataViewType v && IsTokenItem(v.ItemType),
        c => c.Kind != SchemaShape.Column.VectorKind.Scalar
             && (c.IsKey ? c.ItemType.RawType == typeof(uint) : c.ItemType.RawType == typeof(int) || c.ItemType.RawType == typeof(long)));

    static bool IsTokenItem(DataViewType item) =>
        item is KeyDataViewType key ? key.RawType == typeof(uint)
        : item is NumberDataViewType n && (n.RawType == typeof(int) || n.RawType == typeof(long));

    /// <summary>The type as messages name it: Text, Single, Vector&lt;Single&gt;, Vector&lt;Single, 128&gt;, Key&lt;UInt32, 12800&gt;.</summary>
    public static string Describe(DataViewType type) => type switch
    {
        TextDataViewType => "Text",
        KeyDataViewType key => $"Key<{key.RawType.Name}, {key.Count}>",
        VectorDataViewType vector => vector.IsKnownSize
            ? $"Vector<{Describe(vector.ItemType)}, {string.Join(", ", vector.Dimensions)}>"
            : $"Vector<{Describe(vector.ItemType)}>",
        PrimitiveDataViewType primitive => primitive.RawType.Name,
        _ => type.ToString() ?? type.GetType().Name,
    };

    /// <summary>An estimator's column shape as messages name it.</summary>
    public static string Describe(SchemaShape.Column column)
    {
        string item = column.ItemType is TextDataViewType ? "Text"
            : column.IsKey ? $"Key<{column.ItemType.RawType.Name}>" : column.ItemType.RawType.Name;
        return column.Kind == SchemaShape.Column.VectorKind.Scalar ? item : $"Vector<{item}>";
    }
}
