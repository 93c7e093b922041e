// The whitelist of what a torch.save pickle may build: tensors (torch._utils._rebuild_*), storages, dtypes,
// OrderedDict, torch.Size and a few builtins. Everything else stays inert data (PickleMachine).
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>Resolves PyTorch's globals and persistent ids for <see cref="PickleMachine"/>.</summary>
internal sealed class TorchPickleHooks(string source, Func<string, ScalarType, long, TorchStorage> storageFor) : PickleHooks
{
    /// <summary>Callables and classes this reader knows how to build.</summary>
    enum Known
    {
        OrderedDict, RebuildTensor, RebuildTensorV2, RebuildTensorV3, RebuildParameter, RebuildParameterWithState,
        RebuildFromTypeV2, Size, CodecsEncode, Set, FrozenSet, ByteArray,
    }

    /// <summary>A storage class such as <c>torch.FloatStorage</c>; a null dtype means TorchSharp has no such type.</summary>
    sealed record StorageType(string Name, ScalarType? DType);

    /// <summary>A dtype such as <c>torch.float32</c>; a null dtype means TorchSharp has no such type.</summary>
    sealed record DTypeValue(string Name, ScalarType? DType);

    public override object ResolveGlobal(string module, string name)
    {
        Known? known = (module, name) switch
        {
            ("collections", "OrderedDict") => Known.OrderedDict,
            ("torch._utils", "_rebuild_tensor") => Known.RebuildTensor,
            ("torch._utils", "_rebuild_tensor_v2") => Known.RebuildTensorV2,
            ("torch._utils", "_rebuild_tensor_v3") => Known.RebuildTensorV3,
            ("torch._utils", "_rebuild_parameter") => Known.RebuildParameter,
            ("torch._utils", "_rebuild_parameter_with_state") => Known.RebuildParameterWithState,
            ("torch._tensor", "_rebuild_from_type_v2") => Known.RebuildFromTypeV2,
            ("torch", "Size") => Known.Size,
            ("_codecs", "encode") => Known.CodecsEncode,
            ("builtins" or "__builtin__", "set") => Known.Set,
            ("builtins" or "__builtin__", "frozenset") => Known.FrozenSet,
            ("builtins" or "__builtin__", "bytearray") => Known.ByteArray,
            _ => null,
        };
        if (known is { } k) return k;
        if (module is "torch" or "torch.cuda" && TorchTypeNames.TryStorage(name, out var storageType))
            return new StorageType($"{module}.{name}", storageType);
        if (module == "torch" && TorchTypeNames.TryDType(name, out var dtype))
            return new DTypeValue($"torch.{name}", dtype);
        return base.ResolveGlobal(module, name);
    }

    public override bool TryCall(object callable, object?[] args, out object? result)
    {
        result = null;
        if (callable is not Known known) return false;
        result = known switch
        {
            Known.OrderedDict => NewDict(args),
            Known.RebuildTensor => RebuildTensor(args, 4),
            Known.RebuildTensorV2 => RebuildTensor(args, 6),
            Known.RebuildTensorV3 => RebuildTensorV3(args),
            Known.RebuildParameter or Known.RebuildParameterWithState =>
                Arg<TorchTensorRef>(args, 0, "the parameter's data", minCount: 3),
            Known.RebuildFromTypeV2 => RebuildFromType(args),
            Known.Size => Arg<object?[]>(args, 0, "torch.Size's dimensions", minCount: 1),
            Known.CodecsEncode => Encode(args),
            Known.Set or Known.FrozenSet => new PickleSet(args.Length == 0 ? [] : Arg<List<object?>>(args, 0, "the set's items", 1)),
            Known.ByteArray => args.Length == 0 ? [] : Arg<byte[]>(args, 0, "bytearray's bytes", 1),
            _ => throw new InvalidOperationException(known.ToString()),
        };
        return true;
    }

    /// <summary>A pid ('storage', storage_type, key, location, numel[, view_metadata]).</summary>
    public override object? PersistentLoad(object? pid)
    {
        if (pid is not object?[] tuple || tuple.Length < 5 || tuple[0] is not string kind)
            throw PickleMachine.Error(source, $"a persistent id is a {PickleMachine.Describe(pid)}, not a ('storage', type, key, location, size) tuple");
        if (kind != "storage")
            throw PickleMachine.Error(source, $"persistent id of kind '{kind}' (only 'storage' exists in tensor checkpoints)");
        if (tuple[1] is not StorageType type)
            throw PickleMachine.Error(source, $"a storage's type is a {PickleMachine.Describe(tuple[1])}, not a torch storage class");
        if (type.DType is not { } dtype)
            throw new NotSupportedException($"'{source}' holds a {type.Name}, which TorchSharp has no tensor type for.");
        if (tuple[2] is not string key || tuple[4] is not long numel || numel < 0)
            throw PickleMachine.Error(source, "a storage's key or element count is malformed");
        var storage = storageFor(key, dtype, numel);
        if (tuple.Length > 5 && tuple[5] is not null)
            throw new NotSupportedException($"'{source}' uses storage views (PyTorch before 0.4); re-save it with a newer PyTorch.");
        return storage;
    }

    PickleDict NewDict(object?[] args)
    {
        var dict = new PickleDict();
        if (args.Length == 0) return dict;
        foreach (var item in Arg<List<object?>>(args, 0, "OrderedDict's items", 1))
        {
            if (item is not object?[] { Length: 2 } pair)
                throw PickleMachine.Error(source, "an OrderedDict item is not a (key, value) pair");
            dict.Set(pair[0], pair[1], source);
        }
        return dict;
    }

    /// <summary>_rebuild_tensor(storage, offset, size, stride) and _rebuild_tensor_v2(..., requires_grad, hooks[, metadata]).</summary>
    TorchTensorRef RebuildTensor(object?[] args, int minCount)
    {
        var storage = Arg<TorchStorage>(args, 0, "the tensor's storage", minCount);
        return new TorchTensorRef(storage, Arg<long>(args, 1, "the storage offset", minCount),
            Dims(Arg<object?[]>(args, 2, "the size", minCount), "size"), Dims(Arg<object?[]>(args, 3, "the stride", minCount), "stride"),
            storage.DType);
    }

    /// <summary>_rebuild_tensor_v3(storage, offset, size, stride, requires_grad, hooks, dtype[, metadata]).</summary>
    TorchTensorRef RebuildTensorV3(object?[] args)
    {
        var tensor = RebuildTensor(args, 7);
        var dtype = Arg<DTypeValue>(args, 6, "the dtype", 7);
        if (dtype.DType is not { } type)
            throw new NotSupportedException($"'{source}' holds a tensor of {dtype.Name}, which TorchSharp has no tensor type for.");
        return tensor with { DType = type };
    }

    /// <summary>_rebuild_from_type_v2(func, new_type, args, state): tensor subclasses and Parameters; the type is dropped.</summary>
    object? RebuildFromType(object?[] args)
    {
        var function = args.Length > 0 ? args[0] : null;
        var inner = Arg<object?[]>(args, 2, "the rebuild arguments", 3);
        if (function is null || !TryCall(function, inner, out var result))
            throw PickleMachine.Error(source, $"_rebuild_from_type_v2 wraps {PickleMachine.Describe(function)}, not a known tensor rebuild function");
        return result;
    }

    /// <summary>_codecs.encode(text, 'latin1'): how protocol 2 spells Python 3 bytes.</summary>
    byte[] Encode(object?[] args)
    {
        var text = Arg<string>(args, 0, "the text to encode", 1);
        string encoding = args.Length > 1 && args[1] is string e ? e.ToLowerInvariant() : "utf-8";
        return encoding switch
        {
            "latin1" or "latin-1" or "iso-8859-1" => System.Text.Encoding.Latin1.GetBytes(text),
            "utf-8" or "utf8" => System.Text.Encoding.UTF8.GetBytes(text),
            "ascii" => System.Text.Encoding.ASCII.GetBytes(text),
            _ => throw PickleMachine.Error(source, $"_codecs.encode with encoding '{encoding}'"),
        };
    }

    long[] Dims(object?[] values, string what)
    {
        var dims = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
            dims[i] = values[i] as long? ?? throw PickleMachine.Error(source, $"a tensor's {what} holds a {PickleMachine.Describe(values[i])}");
        return dims;
    }

    T Arg<T>(object?[] args, int index, string what, int minCount)
    {
        if (args.Length < minCount)
            throw PickleMachine.Error(source, $"a rebuild call has {args.Length} arguments, fewer than {minCount}");
        return args[index] is T value
            ? value
            : throw PickleMachine.Error(source, $"{what} is a {PickleMachine.Describe(args[index])}");
    }
}
