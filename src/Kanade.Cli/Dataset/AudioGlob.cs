// The file matching and id rules of kanade-tokenizer script/dump_dataset.py (MIT).
using Microsoft.Extensions.FileSystemGlobbing;

namespace Kanade.Cli.Dataset;

/// <summary>Finds audio files under a folder with a glob and gives them unique ids, as the reference's dump_dataset.py does.</summary>
internal static class AudioGlob
{
    /// <summary>
    /// Paths relative to <paramref name="root"/> (with '/') of the files matching <paramref name="pattern"/>
    /// (<c>*</c>, <c>?</c>, <c>**</c> for any depth, including none), sorted ordinally. Hidden files and folders
    /// (a leading '.') are left out, as Python's glob leaves them out.
    /// </summary>
    public static List<string> Match(string root, string pattern)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(pattern);
        return matcher.GetResultsInFullPath(root)
            .Select(full => Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(relative => !relative.Split('/').Any(segment => segment.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The file stem as id, <c>stem_1</c>, <c>stem_2</c>... for later files with the same stem (in the given order),
    /// skipping any suffix another file already took.
    /// </summary>
    public static List<string> UniqueIds(IEnumerable<string> paths)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>();
        foreach (string path in paths)
        {
            string stem = Path.GetFileNameWithoutExtension(path);
            string id = stem;
            if (counts.TryGetValue(stem, out int count) || used.Contains(stem))
            {
                do id = $"{stem}_{++count}"; while (used.Contains(id));
            }
            counts[stem] = count;
            used.Add(id);
            ids.Add(id);
        }
        return ids;
    }
}
