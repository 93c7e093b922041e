// TorchSharp hides non-persistent buffers from every public enumeration (named_buffers skips them whatever its
// include_nonpersistent says), so the loader reads Module._internal_buffers, the registry they live in.
using System.Reflection;
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>Finds the non-persistent buffers of a module tree.</summary>
internal static class ModuleBuffers
{
    static readonly FieldInfo? Registry =
        typeof(nn.Module).GetField("_internal_buffers", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>True when this TorchSharp version exposes the registry the lookup needs.</summary>
    public static bool CanSeeNonPersistent => Registry is not null;

    /// <summary>Dotted names of every non-persistent buffer of <paramref name="module"/> and its descendants.</summary>
    public static HashSet<string> NonPersistentNames(nn.Module module)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Collect(module, "", names);
        return names;
    }

    static void Collect(nn.Module module, string prefix, HashSet<string> names)
    {
        // Enumerated as its list of (name, (tensor, persistent)): its KeyValuePair enumerator throws NotImplementedException.
        if (Registry?.GetValue(module) is IList<(string Name, (Tensor Tensor, bool Persistent) Value)> buffers)
            foreach (var (name, (tensor, persistent)) in buffers)
                if (!persistent && tensor is not null) names.Add(prefix + name);
        foreach (var (name, child) in module.named_children())
            Collect(child, prefix + name + ".", names);
    }
}
