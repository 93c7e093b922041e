// Sample encodings AudioFile.Write offers.
namespace Kanade;

/// <summary>How <see cref="AudioFile.Write"/> stores samples in a WAV file.</summary>
public enum AudioEncoding
{
    /// <summary>Signed 16-bit PCM: samples in [-1, 1] scaled by 32768, rounded and clipped to [-32768, 32767].</summary>
    Pcm16,

    /// <summary>32-bit IEEE float: samples stored exactly, values outside [-1, 1] kept.</summary>
    Float32,
}
