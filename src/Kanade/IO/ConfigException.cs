namespace Kanade.IO;

/// <summary>
/// A configuration file is malformed or does not fit its schema: an unknown or missing key, a value of the wrong
/// type, an unexpected class_path. The message reads <c>FILE:LINE:COLUMN: KEY.PATH: problem</c>.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The configuration file (or description of the source).</param>
    /// <param name="keyPath">Dotted key path, e.g. <c>model.init_args.mel_decoder.init_args.dim</c>; empty for the document.</param>
    /// <param name="line">1-based line, or 0 when unknown.</param>
    /// <param name="column">1-based column, or 0 when unknown.</param>
    /// <param name="problem">What is wrong and what was expected.</param>
    /// <param name="inner">The parser's exception, if any.</param>
    public ConfigException(string file, string keyPath, long line, long column, string problem, Exception? inner = null)
        : base($"{file}{(line > 0 ? $":{line}:{column}" : "")}: {(keyPath.Length > 0 ? keyPath + ": " : "")}{problem}", inner)
    {
        FilePath = file;
        KeyPath = keyPath;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The configuration file.</summary>
    public string FilePath { get; }

    /// <summary>Dotted key path of the offending value.</summary>
    public string KeyPath { get; }

    /// <summary>1-based line (0 when unknown).</summary>
    public long Line { get; }

    /// <summary>1-based column (0 when unknown).</summary>
    public long Column { get; }

    /// <summary>The problem alone, without location.</summary>
    public string Problem { get; }
}
