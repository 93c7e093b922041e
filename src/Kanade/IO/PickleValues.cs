// The inert values a pickle stream turns into here: nothing in them can run code.
using System.Collections;
using System.Numerics;

namespace Kanade.IO;

/// <summary>A reference to a Python global (<c>module.name</c>) that was looked up but not resolved to anything known.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>
/// A Python object the pickle asked to build from an unknown class or callable. It is recorded, never constructed:
/// the callable, its arguments and any state given to it stay plain data.
/// </summary>
internal sealed class PickleObject(PickleGlobal type, object?[] args)
{
    public PickleGlobal Type { get; } = type;
    public object?[] Args { get; } = args;
    public object? State { get; set; }
    public override string ToString() => $"{Type}(...)";
}

/// <summary>A Python dict or OrderedDict: insertion-ordered, keys compared by value (tuples element by element).</summary>
internal sealed class PickleDict : IEnumerable<KeyValuePair<object, object?>>
{
    readonly OrderedDictionary<object, object?> items = new(PickleKeyComparer.Instance);

    /// <summary>Instance attributes given by BUILD (e.g. a state dict's <c>_metadata</c>); kept, not interpreted.</summary>
    public object? Attributes { get; set; }

    public int Count => items.Count;

    public void Set(object? key, object? value, string source)
    {
        if (key is null) throw PickleMachine.Error(source, "a dict key is None");
        items[key] = value;
    }

    public bool TryGet(object key, out object? value) => items.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<object, object?>> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A Python set or frozenset.</summary>
internal sealed class PickleSet(IEnumerable<object?> items)
{
    public List<object?> Items { get; } = items.ToList();
}

/// <summary>Compares dict keys as Python would for the key types pickles of checkpoints use: str, int, float, bool, tuples of those.</summary>
internal sealed class PickleKeyComparer : IEqualityComparer<object>
{
    public static readonly PickleKeyComparer Instance = new();

    /// <summary>Tuples nested deeper than this compare by reference: real keys are flat, and a hostile file must not exhaust the stack.</summary>
    const int MaxDepth = 16;

    public new bool Equals(object? x, object? y) => Equals(x, y, 0);

    public int GetHashCode(object obj) => Hash(obj, 0);

    static bool Equals(object? x, object? y, int depth) => (x, y) switch
    {
        (object?[] a, object?[] b) when depth < MaxDepth => a.Length == b.Length && a.Zip(b).All(p => Equals(p.First, p.Second, depth + 1)),
        (long a, long b) => a == b,
        (BigInteger a, BigInteger b) => a == b,
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (double a, double b) => a.Equals(b),
        (bool a, bool b) => a == b,
        (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
        _ => ReferenceEquals(x, y),
    };

    static int Hash(object obj, int depth) => obj switch
    {
        object?[] tuple when depth < MaxDepth => tuple.Aggregate(17, (h, item) => HashCode.Combine(h, item is null ? 0 : Hash(item, depth + 1))),
        string s => StringComparer.Ordinal.GetHashCode(s),
        byte[] bytes => bytes.Length,
        long or BigInteger or double or bool => obj.GetHashCode(),
        _ => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj),
    };
}
