// Binds YAML nodes to C# records strictly: snake_case keys map to PascalCase properties (or [YamlMember(Alias)]),
// an unknown key, a missing required member or a value of the wrong type is a ConfigException naming the key path.
using System.Collections;
using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Kanade.IO;

/// <summary>
/// Strict YAML to record mapping. Supported targets: <c>string</c>, integers, floating point, <c>bool</c>, enums
/// (by snake_case or PascalCase name), nullable versions of these, lists/arrays/<c>IReadOnlyList&lt;T&gt;</c>,
/// string-keyed dictionaries, <c>object</c> (free-form: strings, longs, doubles, bools, lists, dictionaries),
/// <see cref="YamlNode"/> (raw), and classes or records: with a parameterless constructor and settable/init properties,
/// or with a single public constructor whose parameters take the keys. Required: C# <c>required</c> members and
/// constructor parameters without defaults.
/// </summary>
public static class ConfigBinder
{
    const int MaxDepth = 64;

    /// <summary>Binds <paramref name="node"/> (found at <paramref name="keyPath"/> of <paramref name="file"/>) to <typeparamref name="T"/>.</summary>
    /// <exception cref="ConfigException">Unknown key, missing required key or wrong type.</exception>
    public static T Bind<T>(YamlNode node, string keyPath, string file) => (T)Bind(typeof(T), node, keyPath, file, nullable: false, 0)!;

    /// <summary>Binds <paramref name="node"/> to <paramref name="type"/>; see <see cref="Bind{T}"/>.</summary>
    /// <exception cref="ConfigException">Unknown key, missing required key or wrong type.</exception>
    public static object? Bind(Type type, YamlNode node, string keyPath, string file) => Bind(type, node, keyPath, file, nullable: false, 0);

    /// <summary>The YAML key of a property: its <see cref="YamlMemberAttribute.Alias"/>, else its name in snake_case.</summary>
    public static string KeyOf(MemberInfo member) =>
        member.GetCustomAttribute<YamlMemberAttribute>()?.Alias is { Length: > 0 } alias ? alias : SnakeCase(member.Name);

    /// <summary><c>NFft</c> -> <c>n_fft</c>, <c>BigvganStyleMel</c> -> <c>bigvgan_style_mel</c>.</summary>
    public static string SnakeCase(string name)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    /// <summary>The error for <paramref name="node"/> at <paramref name="keyPath"/>.</summary>
    public static ConfigException Error(string file, string keyPath, YamlNode? node, string problem) =>
        new(file, keyPath, node?.Start.Line ?? 0, node?.Start.Column ?? 0, problem);

    /// <summary>True for a YAML null: <c>null</c>, <c>Null</c>, <c>NULL</c>, <c>~</c> or an empty plain scalar.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    static object? Bind(Type type, YamlNode node, string path, string file, bool nullable, int depth)
    {
        if (depth > MaxDepth) throw Error(file, path, node, "the document nests deeper than any configuration does");
        var underlying = Nullable.GetUnderlyingType(type);
        if (IsNull(node))
        {
            if (underlying is not null || nullable || type == typeof(object) || type == typeof(YamlNode)) return null;
            throw Error(file, path, node, $"is null, but a {Describe(type)} is required");
        }
        type = underlying ?? type;

        if (type == typeof(YamlNode)) return node;
        if (type == typeof(object)) return FreeForm(node, path, file, depth);
        if (type == typeof(string)) return Scalar(node, path, file, "a string");
        if (type == typeof(bool)) return ParseBool(node, path, file);
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte))
            return ParseInteger(node, path, file, type);
        if (type == typeof(double) || type == typeof(float)) return ParseFloat(node, path, file, type);
        if (type.IsEnum) return ParseEnum(node, path, file, type);
        if (DictionaryValueType(type) is { } valueType) return BindDictionary(type, valueType, node, path, file, depth);
        if (ListElementType(type) is { } elementType) return BindList(type, elementType, node, path, file, depth);
        if (type.IsClass || (type.IsValueType && !type.IsPrimitive)) return BindObject(type, node, path, file, depth);
        throw new NotSupportedException($"ConfigBinder cannot bind {type}.");
    }

    static object BindObject(Type type, YamlNode node, string path, string file, int depth)
    {
        if (node is not YamlMappingNode mapping)
            throw Error(file, path, node, $"must be a mapping of {Describe(type)} settings, found {Kind(node)}");

        var keys = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw Error(file, path, keyNode, "has a key that is not a plain name");
            keys[key] = (keyNode, valueNode);
        }

        var nullability = new NullabilityInfoContext();
        var constructor = type.GetConstructor(Type.EmptyTypes);
        object instance;
        var consumed = new HashSet<string>(StringComparer.Ordinal);
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).ToList();
        if (constructor is null)
        {
            var constructors = type.GetConstructors();
            if (constructors.Length != 1)
                throw new NotSupportedException($"ConfigBinder needs {type.Name} to have a parameterless constructor or exactly one public constructor.");
            var parameters = constructors[0].GetParameters();
            var args = new object?[parameters.Length];
            for (int i = 0; i < parameters.Length; i++)
            {
                var parameter = parameters[i];
                string key = SnakeCase(parameter.Name!);
                var property = properties.FirstOrDefault(p => p.Name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase));
                if (property is not null) key = KeyOf(property);
                if (keys.TryGetValue(key, out var entry))
                {
                    args[i] = Bind(parameter.ParameterType, entry.Value, Join(path, key), file,
                        nullability.Create(parameter).WriteState == NullabilityState.Nullable, depth + 1);
                    consumed.Add(key);
                }
                else if (parameter.HasDefaultValue) args[i] = parameter.DefaultValue;
                else throw Error(file, path, node, $"is missing required key '{key}'");
            }
            instance = constructors[0].Invoke(args);
        }
        else instance = constructor.Invoke(null);

        foreach (var property in properties)
        {
            string key = KeyOf(property);
            if (consumed.Contains(key)) continue;
            if (!keys.TryGetValue(key, out var entry))
            {
                if (property.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute)))
                    throw Error(file, path, node, $"is missing required key '{key}'");
                continue;
            }
            bool allowsNull = nullability.Create(property).WriteState == NullabilityState.Nullable;
            property.SetValue(instance, Bind(property.PropertyType, entry.Value, Join(path, key), file, allowsNull, depth + 1));
            consumed.Add(key);
        }

        foreach (var (key, entry) in keys)
        {
            if (consumed.Contains(key)) continue;
            var accepted = properties.Select(KeyOf).Concat(constructor is null ? type.GetConstructors()[0].GetParameters().Select(p => SnakeCase(p.Name!)) : [])
                .Distinct().Order(StringComparer.Ordinal);
            throw Error(file, Join(path, key), entry.Key, $"unknown key '{key}' for {Describe(type)}; accepted keys: {string.Join(", ", accepted)}");
        }
        return instance;
    }

    static object BindList(Type type, Type elementType, YamlNode node, string path, string file, int depth)
    {
        if (node is not YamlSequenceNode sequence)
            throw Error(file, path, node, $"must be a list of {Describe(elementType)}, found {Kind(node)}");
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        int index = 0;
        foreach (var item in sequence.Children)
            list.Add(Bind(elementType, item, $"{path}[{index++}]", file, nullable: false, depth + 1));
        if (type.IsArray)
        {
            var array = Array.CreateInstance(elementType, list.Count);
            list.CopyTo(array, 0);
            return array;
        }
        return list;
    }

    static object BindDictionary(Type type, Type valueType, YamlNode node, string path, string file, int depth)
    {
        if (node is not YamlMappingNode mapping)
            throw Error(file, path, node, $"must be a mapping, found {Kind(node)}");
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            string key = Scalar(keyNode, path, file, "a key");
            dictionary[key] = Bind(valueType, valueNode, Join(path, key), file, nullable: valueType == typeof(object), depth + 1);
        }
        return dictionary;
    }

    static object? FreeForm(YamlNode node, string path, string file, int depth)
    {
        if (depth > MaxDepth) throw Error(file, path, node, "the document nests deeper than any configuration does");
        switch (node)
        {
            case YamlSequenceNode sequence:
                return sequence.Children.Select((item, i) => FreeForm(item, $"{path}[{i}]", file, depth + 1)).ToList();
            case YamlMappingNode mapping:
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    string key = Scalar(keyNode, path, file, "a key");
                    result[key] = FreeForm(valueNode, Join(path, key), file, depth + 1);
                }
                return result;
            case YamlScalarNode scalar:
                if (IsNull(scalar)) return null;
                if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any)) return scalar.Value;
                string text = scalar.Value ?? "";
                if (TryParseBool(text, out bool flag)) return flag;
                if (long.TryParse(text.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer)) return integer;
                if (TryParseFloat(text, out double number)) return number;
                return text;
            default:
                throw Error(file, path, node, $"is {Kind(node)}, which configurations do not use");
        }
    }

    static string Scalar(YamlNode node, string path, string file, string what) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(file, path, node, $"must be {what}, found {Kind(node)}");

    static string PlainScalar(YamlNode node, string path, string file, string what)
    {
        string value = Scalar(node, path, file, what);
        if (node is YamlScalarNode { Style: not (ScalarStyle.Plain or ScalarStyle.Any) })
            throw Error(file, path, node, $"must be {what}, found the quoted string '{value}'");
        return value;
    }

    static object ParseBool(YamlNode node, string path, string file)
    {
        string text = PlainScalar(node, path, file, "true or false");
        return TryParseBool(text, out bool value) ? value : throw Error(file, path, node, $"must be true or false, found '{text}'");
    }

    /// <summary>YAML 1.1 booleans, as PyYAML (and so the reference's jsonargparse) reads them.</summary>
    static bool TryParseBool(string text, out bool value)
    {
        switch (text)
        {
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON": value = true; return true;
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF": value = false; return true;
            default: value = false; return false;
        }
    }

    static object ParseInteger(YamlNode node, string path, string file, Type type)
    {
        string text = PlainScalar(node, path, file, "an integer");
        if (!long.TryParse(text.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw Error(file, path, node, $"must be an integer, found '{text}'");
        try { return Convert.ChangeType(value, type, CultureInfo.InvariantCulture); }
        catch (OverflowException) { throw Error(file, path, node, $"{value} is out of range for {Describe(type)}"); }
    }

    static object ParseFloat(YamlNode node, string path, string file, Type type)
    {
        string text = PlainScalar(node, path, file, "a number");
        if (!TryParseFloat(text, out double value)) throw Error(file, path, node, $"must be a number, found '{text}'");
        return type == typeof(float) ? (float)value : value;
    }

    /// <summary>Decimal and exponent forms (<c>2e-4</c> too, which PyYAML leaves a string but jsonargparse converts), and .inf/.nan.</summary>
    static bool TryParseFloat(string text, out double value)
    {
        switch (text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf": value = double.PositiveInfinity; return true;
            case "-.inf" or "-.Inf" or "-.INF": value = double.NegativeInfinity; return true;
            case ".nan" or ".NaN" or ".NAN": value = double.NaN; return true;
        }
        return double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
               && !text.Contains("Infinity", StringComparison.OrdinalIgnoreCase) && !text.Contains("NaN", StringComparison.OrdinalIgnoreCase);
    }

    static object ParseEnum(YamlNode node, string path, string file, Type type)
    {
        string text = Scalar(node, path, file, "a name");
        foreach (string name in Enum.GetNames(type))
            if (name == text || SnakeCase(name) == text) return Enum.Parse(type, name);
        throw Error(file, path, node, $"'{text}' is not one of {string.Join(", ", Enum.GetNames(type).Select(SnakeCase))}");
    }

    static Type? ListElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>)
               || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>)
            ? type.GetGenericArguments()[0] : null;
    }

    static Type? DictionaryValueType(Type type)
    {
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        if (definition != typeof(Dictionary<,>) && definition != typeof(IReadOnlyDictionary<,>) && definition != typeof(IDictionary<,>)) return null;
        var arguments = type.GetGenericArguments();
        return arguments[0] == typeof(string) ? arguments[1] : throw new NotSupportedException("Configuration dictionaries need string keys.");
    }

    static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => node.NodeType.ToString(),
    };

    static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)) return "integer";
        if (type == typeof(double) || type == typeof(float)) return "number";
        if (type == typeof(bool)) return "boolean";
        if (type == typeof(string)) return "string";
        if (ListElementType(type) is { } element) return $"list of {Describe(element)}";
        return type.Name;
    }
}
