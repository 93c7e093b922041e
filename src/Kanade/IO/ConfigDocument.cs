// A parsed YAML configuration with its file name, so that every error can say where it is.
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kanade.IO;

/// <summary>
/// One YAML configuration document (the reference's jsonargparse / LightningCLI format), with strict binding of
/// its parts to records. Used for model configs (<see cref="ModelConfigLoader"/>) and training configs.
/// </summary>
public sealed class ConfigDocument
{
    ConfigDocument(string source, YamlMappingNode root) => (Source, Root) = (source, root);

    /// <summary>The file (or description) the document came from.</summary>
    public string Source { get; }

    /// <summary>The top-level mapping.</summary>
    public YamlMappingNode Root { get; }

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ConfigException">The file is not YAML, or not a mapping at the top.</exception>
    public static ConfigDocument Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is a directory, not a configuration file.", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Configuration file '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses YAML text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ConfigException">The text is not YAML (duplicate keys included), holds several documents, or is not a mapping at the top.</exception>
    public static ConfigDocument Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException(source, "", e.Start.Line, e.Start.Column, $"not valid YAML: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner reports some malformed input (an unclosed flow sequence) this way, without a position.
            throw new ConfigException(source, "", 0, 0, $"not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count != 1)
            throw new ConfigException(source, "", 0, 0, $"holds {stream.Documents.Count} YAML documents; a configuration is exactly one");
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw ConfigBinder.Error(source, "", stream.Documents[0].RootNode, "the top level must be a mapping of keys");
        return new ConfigDocument(source, root);
    }

    /// <summary>The node at a dotted key path (<c>model.init_args.pipeline_config</c>), or null when any part is absent.</summary>
    public YamlNode? Find(string keyPath)
    {
        YamlNode node = Root;
        if (keyPath.Length == 0) return node;
        foreach (string key in keyPath.Split('.'))
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child)) return null;
            node = child;
        }
        return node;
    }

    /// <summary>The node at <paramref name="keyPath"/>; a <see cref="ConfigException"/> naming it when absent.</summary>
    public YamlNode Require(string keyPath) =>
        Find(keyPath) ?? throw new ConfigException(Source, keyPath, 0, 0, "is missing");

    /// <summary>Binds the node at <paramref name="keyPath"/> to <typeparamref name="T"/> strictly (<see cref="ConfigBinder"/>).</summary>
    /// <exception cref="ConfigException">Absent, unknown key, missing required key or wrong type.</exception>
    public T Bind<T>(string keyPath) => ConfigBinder.Bind<T>(Require(keyPath), keyPath, Source);

    /// <summary>Binds the node at <paramref name="keyPath"/>, or returns <paramref name="fallback"/> when it is absent.</summary>
    public T BindOrDefault<T>(string keyPath, T fallback) =>
        Find(keyPath) is { } node ? ConfigBinder.Bind<T>(node, keyPath, Source) : fallback;

    /// <summary>
    /// Binds a <c>class_path</c>/<c>init_args</c> node at <paramref name="keyPath"/>: checks that <c>class_path</c> is one of
    /// <paramref name="classPaths"/> (full dotted name or bare class name) and binds <c>init_args</c> to
    /// <typeparamref name="T"/> (an absent <c>init_args</c> means all defaults).
    /// </summary>
    /// <exception cref="ConfigException">Not such a node, wrong class_path, or a binding error inside init_args.</exception>
    public T BindClass<T>(string keyPath, params string[] classPaths) where T : new() =>
        BindClass<T>(Require(keyPath), keyPath, [], classPaths);

    /// <summary>As <see cref="BindClass{T}(string, string[])"/> for a node in hand, also requiring the given <c>init_args</c> keys.</summary>
    public T BindClass<T>(YamlNode node, string keyPath, IReadOnlyCollection<string> requiredArgs, params string[] classPaths) where T : new()
    {
        var initArgs = ClassArguments(node, keyPath, classPaths);
        if (initArgs is null)
        {
            if (requiredArgs.Count > 0)
                throw ConfigBinder.Error(Source, keyPath, node, $"needs init_args with {string.Join(", ", requiredArgs)}");
            return new T();
        }
        string argsPath = keyPath + ".init_args";
        if (initArgs is YamlMappingNode mapping)
            foreach (string key in requiredArgs)
                if (!mapping.Children.ContainsKey(new YamlScalarNode(key)))
                    throw ConfigBinder.Error(Source, argsPath, initArgs, $"is missing required key '{key}'");
        return ConfigBinder.Bind<T>(initArgs, argsPath, Source);
    }

    /// <summary>
    /// Checks a <c>class_path</c>/<c>init_args</c> node and returns its <c>init_args</c> node (null when absent).
    /// </summary>
    /// <exception cref="ConfigException">Not a mapping, class_path missing or not one of <paramref name="classPaths"/>, or other keys beside the two.</exception>
    public YamlNode? ClassArguments(YamlNode node, string keyPath, params string[] classPaths)
    {
        if (node is not YamlMappingNode mapping)
            throw ConfigBinder.Error(Source, keyPath, node, "must be a mapping with class_path and init_args");
        YamlNode? classPath = null, initArgs = null;
        foreach (var (keyNode, value) in mapping.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (key == "class_path") classPath = value;
            else if (key == "init_args") initArgs = value;
            else throw ConfigBinder.Error(Source, $"{keyPath}.{key}", keyNode, $"unknown key '{key}' beside class_path and init_args");
        }
        if (classPath is not YamlScalarNode { Value: { } name })
            throw ConfigBinder.Error(Source, keyPath, node, "is missing required key 'class_path'");
        if (classPaths.Length > 0 && !classPaths.Any(c => c == name || c[(c.LastIndexOf('.') + 1)..] == name))
            throw ConfigBinder.Error(Source, keyPath + ".class_path", classPath, $"'{name}' is not {string.Join(" or ", classPaths)}");
        return initArgs is null || ConfigBinder.IsNull(initArgs) ? null : initArgs;
    }

    /// <summary>Requires the mapping at <paramref name="keyPath"/> to use only <paramref name="allowed"/> keys and to have every one of <paramref name="required"/>.</summary>
    /// <exception cref="ConfigException">An unknown or a missing key, naming it.</exception>
    public void CheckKeys(string keyPath, IReadOnlyCollection<string> allowed, IReadOnlyCollection<string>? required = null)
    {
        var node = Require(keyPath);
        if (node is not YamlMappingNode mapping)
            throw ConfigBinder.Error(Source, keyPath, node, "must be a mapping");
        foreach (var (keyNode, _) in mapping.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(key))
                throw ConfigBinder.Error(Source, keyPath.Length == 0 ? key : $"{keyPath}.{key}", keyNode,
                    $"unknown key '{key}'; accepted keys: {string.Join(", ", allowed)}");
        }
        foreach (string key in required ?? [])
            if (!mapping.Children.ContainsKey(new YamlScalarNode(key)))
                throw ConfigBinder.Error(Source, keyPath, node, $"is missing required key '{key}'");
    }
}
