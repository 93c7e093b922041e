// PyTorch's serialized tensors: a pickle describes each tensor as (storage, offset, size, stride) and keeps the
// storages' bytes elsewhere (zip entries data/KEY, or after the pickles in the legacy format).
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>Where the bytes of a checkpoint's storages live.</summary>
internal interface ITorchStorageSource
{
    /// <summary>Reads storage <paramref name="key"/> as a 1-D CPU tensor of <paramref name="numel"/> elements.</summary>
    Tensor Read(string key, ScalarType dtype, long numel);
}

/// <summary>One storage of a checkpoint, read from its source the first time a selected tensor needs it.</summary>
internal sealed class TorchStorage(ITorchStorageSource source, string key, ScalarType dtype, long numel) : IDisposable
{
    Tensor? data;

    public string Key { get; } = key;
    public ScalarType DType { get; } = dtype;
    public long Numel { get; } = numel;

    /// <summary>The storage as a 1-D tensor; read once, shared by every tensor viewing it.</summary>
    public Tensor Data => data ??= source.Read(Key, DType, Numel);

    public void Dispose()
    {
        data?.Dispose();
        data = null;
    }
}

/// <summary>A tensor described by a checkpoint's pickle, not yet read.</summary>
internal sealed record TorchTensorRef(TorchStorage Storage, long StorageOffset, long[] Size, long[] Stride, ScalarType DType)
{
    /// <summary>
    /// The tensor: a view of its storage (tensors sharing a storage share memory, as after <c>torch.load</c>),
    /// made contiguous when the stored layout is not.
    /// </summary>
    /// <param name="source">Names the file in error messages.</param>
    /// <param name="name">Names the tensor in error messages.</param>
    public Tensor Materialize(string source, string name)
    {
        CheckBounds(source, name);
        if (DType != Storage.DType)
            throw new InvalidDataException($"'{source}': tensor '{name}' is {DType} but its storage '{Storage.Key}' holds {Storage.DType}.");
        var view = Storage.Data.as_strided(Size, Stride, StorageOffset);
        if (view.is_contiguous()) return view;
        var contiguous = view.contiguous();
        view.Dispose();
        return contiguous;
    }

    /// <summary>Requires every element the (offset, size, stride) layout addresses to lie inside the storage.</summary>
    public void CheckBounds(string source, string name)
    {
        if (Size.Length != Stride.Length)
            throw Invalid(source, name, $"its size has {Size.Length} dimensions but its stride {Stride.Length}");
        if (StorageOffset < 0 || Size.Any(s => s < 0) || Stride.Any(s => s < 0))
            throw Invalid(source, name, "its offset, size or stride is negative");
        try
        {
            long elements = checked(Size.Aggregate(1L, (a, b) => a * b));
            if (elements == 0) return;
            long last = StorageOffset;
            for (int i = 0; i < Size.Length; i++) last = checked(last + (Size[i] - 1) * Stride[i]);
            if (last >= Storage.Numel)
                throw Invalid(source, name, $"size [{string.Join(", ", Size)}], stride [{string.Join(", ", Stride)}] at offset {StorageOffset} reach element {last} of a storage of {Storage.Numel}");
        }
        catch (OverflowException)
        {
            throw Invalid(source, name, $"size [{string.Join(", ", Size)}] overflows");
        }
    }

    static InvalidDataException Invalid(string source, string name, string problem) =>
        new($"'{source}': tensor '{name}' is malformed: {problem}.");
}

/// <summary>PyTorch's names for storage classes and dtypes as they appear in pickles.</summary>
internal static class TorchTypeNames
{
    /// <summary>Maps <c>torch.FloatStorage</c>-style class names to dtypes; null for storages TorchSharp cannot hold.</summary>
    public static bool TryStorage(string name, out ScalarType? dtype)
    {
        dtype = name switch
        {
            "DoubleStorage" => ScalarType.Float64,
            "FloatStorage" => ScalarType.Float32,
            "HalfStorage" => ScalarType.Float16,
            "BFloat16Storage" => ScalarType.BFloat16,
            "LongStorage" => ScalarType.Int64,
            "IntStorage" => ScalarType.Int32,
            "ShortStorage" => ScalarType.Int16,
            "CharStorage" => ScalarType.Int8,
            "ByteStorage" => ScalarType.Byte,
            "BoolStorage" => ScalarType.Bool,
            "ComplexFloatStorage" => ScalarType.ComplexFloat32,
            "ComplexDoubleStorage" => ScalarType.ComplexFloat64,
            "UntypedStorage" => ScalarType.Byte,
            _ => null,
        };
        return dtype is not null || name is "QInt8Storage" or "QUInt8Storage" or "QInt32Storage" or "QUInt4x2Storage"
            or "QUInt2x4Storage" or "ComplexHalfStorage";
    }

    /// <summary>Maps <c>torch.float32</c>-style dtype names; null for dtypes TorchSharp cannot hold.</summary>
    public static bool TryDType(string name, out ScalarType? dtype)
    {
        dtype = name switch
        {
            "float64" or "double" => ScalarType.Float64,
            "float32" or "float" => ScalarType.Float32,
            "float16" or "half" => ScalarType.Float16,
            "bfloat16" => ScalarType.BFloat16,
            "int64" or "long" => ScalarType.Int64,
            "int32" or "int" => ScalarType.Int32,
            "int16" or "short" => ScalarType.Int16,
            "int8" => ScalarType.Int8,
            "uint8" => ScalarType.Byte,
            "bool" => ScalarType.Bool,
            "complex64" or "cfloat" => ScalarType.ComplexFloat32,
            "complex128" or "cdouble" => ScalarType.ComplexFloat64,
            _ => null,
        };
        return dtype is not null || name is "uint16" or "uint32" or "uint64" or "float8_e4m3fn" or "float8_e5m2"
            or "float8_e4m3fnuz" or "float8_e5m2fnuz" or "float8_e8m0fnu" or "complex32" or "chalf" or "qint8" or "quint8" or "qint32";
    }

    /// <summary>Size of the words whose byte order a big-endian file reverses: the element, or each half of a complex one.</summary>
    public static int WordSize(ScalarType dtype) => dtype switch
    {
        ScalarType.ComplexFloat32 => 4,
        ScalarType.ComplexFloat64 => 8,
        _ => ElementSize(dtype),
    };

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };
}
