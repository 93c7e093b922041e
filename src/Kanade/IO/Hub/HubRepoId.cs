// A model repository on the Hugging Face hub and the revision asked for, as huggingface_hub validates and names them.
using System.Text.RegularExpressions;

namespace Kanade.IO.Hub;

/// <summary>
/// A model repository (<c>org/name</c>) at a revision (a branch, tag or commit; <c>main</c> unless given), written
/// <c>org/name@revision</c> as the reference's <c>hf:</c> checkpoint paths do.
/// </summary>
public sealed partial record HubRepoId
{
    /// <summary>The revision when none is given.</summary>
    public const string DefaultRevision = "main";
    const int MaxLength = 96;

    /// <summary>The repository, <c>org/name</c> (or a bare <c>name</c>).</summary>
    public string RepoId { get; }
    /// <summary>A branch, a tag or a 40-character commit id.</summary>
    public string Revision { get; }

    /// <summary>Validates and holds <paramref name="repoId"/> at <paramref name="revision"/>.</summary>
    /// <exception cref="ArgumentException">The id or revision is malformed (the message says how).</exception>
    public HubRepoId(string repoId, string? revision = null)
    {
        ArgumentNullException.ThrowIfNull(repoId);
        RepoId = ValidateRepoId(repoId);
        Revision = ValidateRevision(revision ?? DefaultRevision, repoId);
    }

    /// <summary>Parses <c>org/name</c> or <c>org/name@revision</c>.</summary>
    /// <exception cref="ArgumentException">The text is no repository id.</exception>
    public static HubRepoId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int at = text.IndexOf('@');
        return at < 0 ? new HubRepoId(text) : new HubRepoId(text[..at], text[(at + 1)..]);
    }

    /// <summary>Whether <paramref name="text"/> parses as a repository id (with an optional <c>@revision</c>).</summary>
    public static bool TryParse(string? text, out HubRepoId? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text)) return false;
        try { id = Parse(text); return true; }
        catch (ArgumentException) { return false; }
    }

    /// <summary>Whether <see cref="Revision"/> is a full commit id (then cached files need no request at all).</summary>
    public bool IsCommit => IsCommitHash(Revision);

    /// <summary>The cache folder of the repository: <c>models--org--name</c>.</summary>
    public string FolderName => "models--" + RepoId.Replace("/", "--", StringComparison.Ordinal);

    /// <summary>The same repository at another revision.</summary>
    public HubRepoId At(string revision) => new(RepoId, revision);

    /// <summary><c>org/name</c>, with <c>@revision</c> unless it is <c>main</c>.</summary>
    public override string ToString() => Revision == DefaultRevision ? RepoId : $"{RepoId}@{Revision}";

    /// <summary>Whether <paramref name="text"/> is a 40-character lower-case hexadecimal commit id.</summary>
    public static bool IsCommitHash(string text) => CommitPattern().IsMatch(text);

    static string ValidateRepoId(string repoId)
    {
        string Bad(string why) => throw new ArgumentException(
            $"'{repoId}' is not a Hugging Face repository id ({why}); expected 'org/name' or 'org/name@revision', e.g. 'frothywater/kanade-12.5hz@main'.",
            nameof(repoId));
        if (repoId.Length == 0) Bad("it is empty");
        if (repoId.Length > MaxLength) Bad($"longer than {MaxLength} characters");
        if (!RepoIdPattern().IsMatch(repoId)) Bad("only letters, digits, '-', '_' and '.' in at most two '/'-separated parts, not starting or ending with '-' or '.'");
        if (repoId.Contains("--", StringComparison.Ordinal) || repoId.Contains("..", StringComparison.Ordinal)) Bad("'--' and '..' are not allowed");
        return repoId;
    }

    static string ValidateRevision(string revision, string repoId)
    {
        // Branches may contain '/', which nests the refs/ file as huggingface_hub does; nothing may climb out of it.
        bool unsafePath = revision.Length == 0 || revision.StartsWith('/') || revision.EndsWith('/') || revision.Contains('\\')
            || revision.Split('/').Any(part => part is "" or "." or "..") || revision.Any(char.IsControl);
        if (unsafePath)
            throw new ArgumentException($"'{revision}' is not a usable revision of '{repoId}': give a branch, tag or commit id, e.g. 'main'.", "revision");
        return revision;
    }

    [GeneratedRegex(@"^([A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]/|[A-Za-z0-9_]/)?([A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z0-9_])$")]
    private static partial Regex RepoIdPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
