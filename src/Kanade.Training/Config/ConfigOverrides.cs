// jsonargparse-style command-line overrides of a training YAML (`--trainer.max_steps 1000`), as LightningCLI takes them.
using YamlDotNet.RepresentationModel;
using Kanade.IO;

namespace Kanade.Training.Config;

/// <summary>
/// Dotted-key overrides of a configuration document: <c>--trainer.max_steps 1000</c>, <c>--a.b=value</c>. As in
/// jsonargparse, <c>init_args</c> may be left out of a key (<c>--data.train_config.csv_path</c> sets
/// <c>data.init_args.train_config.csv_path</c>), and a value is read as YAML (<c>[0.8, 0.99]</c> is a list,
/// <c>null</c> is null). Keys are checked by the binder afterwards: an unknown key is an error naming the option.
/// </summary>
public sealed class ConfigOverrides
{
    readonly List<(string Key, string Value)> entries;

    ConfigOverrides(List<(string Key, string Value)> entries) => this.entries = entries;

    /// <summary>No overrides.</summary>
    public static ConfigOverrides None { get; } = new([]);

    /// <summary>The overrides in command-line order, keys without the leading dashes.</summary>
    public IReadOnlyList<(string Key, string Value)> Entries => entries;

    /// <summary>
    /// Reads <c>--key value</c> and <c>--key=value</c> pairs. Every token must belong to such a pair.
    /// </summary>
    /// <exception cref="ArgumentException">A token is not an option, or an option has no value; the message names it.</exception>
    public static ConfigOverrides Parse(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var tokens = arguments.ToList();
        var result = new List<(string, string)>();
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2)
                throw new ArgumentException($"Unexpected argument '{token}': configuration overrides take the form --dotted.key value.");
            string body = token[2..];
            int equals = body.IndexOf('=');
            if (equals >= 0)
            {
                result.Add((CheckKey(body[..equals], token), body[(equals + 1)..]));
                continue;
            }
            if (i + 1 >= tokens.Count)
                throw new ArgumentException($"Option '{token}' has no value; write {token} VALUE.");
            result.Add((CheckKey(body, token), tokens[++i]));
        }
        return new ConfigOverrides(result);
    }

    static string CheckKey(string key, string token)
    {
        if (key.Length == 0 || key.Split('.').Any(part => part.Length == 0))
            throw new ArgumentException($"'{token}' is not a dotted configuration key such as --trainer.max_steps.");
        return key;
    }

    /// <summary>
    /// Writes the overrides into <paramref name="document"/>'s tree. Returns, for each override, the key path it
    /// was written at (with <c>init_args</c> inserted) and the option as typed, so binding errors can name the option.
    /// </summary>
    /// <exception cref="ConfigException">A value is not valid YAML, or a key passes through a value that is not a mapping.</exception>
    public IReadOnlyList<(string KeyPath, string Option)> ApplyTo(ConfigDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var applied = new List<(string, string)>();
        foreach (var (key, value) in entries)
        {
            string option = "--" + key;
            var node = ParseValue(value, option);
            var mapping = document.Root;
            var path = new List<string>();
            string[] parts = key.Split('.');
            for (int i = 0; i < parts.Length; i++)
            {
                string part = parts[i];
                // jsonargparse lets a key skip the init_args of a class_path node.
                if (part is not ("class_path" or "init_args") && IsClassNode(mapping) && !Has(mapping, part))
                {
                    mapping = Child(mapping, "init_args", option, path);
                    path.Add("init_args");
                }
                path.Add(part);
                if (i == parts.Length - 1)
                {
                    mapping.Children[new YamlScalarNode(part)] = node;
                    break;
                }
                mapping = Child(mapping, part, option, path);
            }
            applied.Add((string.Join('.', path), option));
        }
        return applied;
    }

    static bool IsClassNode(YamlMappingNode mapping) => Has(mapping, "class_path");

    static bool Has(YamlMappingNode mapping, string key) => mapping.Children.ContainsKey(new YamlScalarNode(key));

    // The mapping under `key`, created when absent (or null) so the binder can judge the key.
    static YamlMappingNode Child(YamlMappingNode mapping, string key, string option, List<string> path)
    {
        var name = new YamlScalarNode(key);
        if (mapping.Children.TryGetValue(name, out var child) && !ConfigBinder.IsNull(child))
        {
            return child as YamlMappingNode ?? throw new ConfigException("command line", option, 0, 0,
                $"'{string.Join('.', path)}' is a single value, not a mapping, so no key can be set under it");
        }
        var created = new YamlMappingNode();
        mapping.Children[name] = created;
        return created;
    }

    static YamlNode ParseValue(string value, string option)
    {
        if (value.Length == 0) return new YamlScalarNode("") { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(value));
            return stream.Documents.Count == 1 ? stream.Documents[0].RootNode : new YamlScalarNode(value);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigException("command line", option, 0, 0, $"'{value}' is not a valid value: {e.Message}", e);
        }
    }
}
