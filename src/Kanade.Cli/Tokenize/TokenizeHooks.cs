namespace Kanade.Cli.Tokenize;

/// <summary>Test seams of the bulk tokenizer: see what it commits, and stop it midway.</summary>
internal sealed class TokenizeHooks
{
    /// <summary>Called on the collecting thread right after part <c>p</c> is committed.</summary>
    public Action<int>? PartCommitted { get; init; }
}
