// Constant-valued column annotations.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet.Schema;

/// <summary>Builds <see cref="DataViewSchema.Annotations"/> of constant values.</summary>
internal sealed class AnnotationBuilder
{
    readonly DataViewSchema.Annotations.Builder builder = new();

    public AnnotationBuilder Add(string kind, int value)
    {
        builder.Add(kind, NumberDataViewType.Int32, (ref int v) => v = value);
        return this;
    }

    public AnnotationBuilder Add(string kind, double value)
    {
        builder.Add(kind, NumberDataViewType.Double, (ref double v) => v = value);
        return this;
    }

    public AnnotationBuilder Add(string kind, string value)
    {
        builder.Add(kind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = value.AsMemory());
        return this;
    }

    public AnnotationBuilder Add(string kind, IReadOnlyList<int> values)
    {
        int[] copy = [.. values];
        builder.Add(kind, new VectorDataViewType(NumberDataViewType.Int32, copy.Length),
            (ref VBuffer<int> v) => new VBuffer<int>(copy.Length, copy).CopyTo(ref v));
        return this;
    }

    public DataViewSchema.Annotations Build() => builder.ToAnnotations();
}
