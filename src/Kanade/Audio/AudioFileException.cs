// The one exception every audio-file problem raises: missing, unreadable, truncated or undecodable files.
namespace Kanade;

/// <summary>
/// An audio file could not be read or written: it is missing, a directory, empty, not audio, in a format or encoding
/// libsndfile cannot decode, truncated or corrupt. The message names the file and the problem.
/// </summary>
public sealed class AudioFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/> with a sentence describing <paramref name="problem"/>.</summary>
    /// <param name="path">The file concerned.</param>
    /// <param name="problem">What is wrong, as a sentence (the message is "Audio file 'PATH': PROBLEM").</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public AudioFileException(string path, string problem, Exception? innerException = null)
        : base($"Audio file '{path}': {problem}", innerException)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file concerned.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
