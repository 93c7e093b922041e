namespace Kanade.Cli.Tokenize;

/// <summary>One audio file of the corpus, in the deterministic order parts are cut from.</summary>
/// <param name="Index">Position in the whole corpus (all shards).</param>
/// <param name="AudioId">Unique id (manifest column, or the file stem for folder input).</param>
/// <param name="Path">Path as the manifest gives it, or relative to the input folder.</param>
/// <param name="FullPath">Where the file is read from.</param>
internal sealed record CorpusItem(int Index, string AudioId, string Path, string FullPath);
