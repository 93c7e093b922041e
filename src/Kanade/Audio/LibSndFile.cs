// libsndfile (https://libsndfile.github.io/libsndfile/, LGPL-2.1, a system library): the entry points this
// project calls, resolved at first use. Declarations follow include/sndfile.h.
using System.Runtime.InteropServices;

namespace Kanade.Audio;

/// <summary>libsndfile's <c>SF_INFO</c>: filled in by <c>sf_open</c> on read, given to it on write.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SfInfo
{
    public long Frames;
    public int SampleRate;
    public int Channels;
    public int Format;
    public int Sections;
    public int Seekable;
}

/// <summary>libsndfile's <c>SF_FORMAT_INFO</c> (for <c>SFC_GET_FORMAT_INFO</c>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SfFormatInfo
{
    public int Format;
    public nint Name;
    public nint Extension;
}

/// <summary>
/// libsndfile's C API through function pointers. The library is loaded with <see cref="NativeLibrary"/> rather than
/// <c>[DllImport]</c> so that no assembly-wide import resolver is taken and a missing library gives one clear message.
/// </summary>
internal static unsafe class LibSndFile
{
    public const int ModeRead = 0x10;
    public const int ModeWrite = 0x20;
    public const int SeekSet = 0;

    public const int FormatWav = 0x010000;
    public const int FormatWavex = 0x130000;
    public const int FormatMpeg = 0x230000;
    public const int FormatPcm16 = 0x0002;
    public const int FormatFloat = 0x0006;
    public const int FormatVorbis = 0x0060;
    public const int SubMask = 0x0000FFFF;
    public const int TypeMask = 0x0FFF0000;

    public const int ErrorUnrecognisedFormat = 1;
    public const int ErrorSystem = 2;
    public const int ErrorMalformedFile = 3;
    public const int ErrorUnsupportedEncoding = 4;

    public const int CommandGetLibVersion = 0x1000;
    public const int CommandSetNormFloat = 0x1013;
    public const int CommandGetFormatInfo = 0x1028;

    /// <summary>Environment variable naming the libsndfile shared library to load instead of the usual names.</summary>
    public const string LibraryPathVariable = "KANADE_LIBSNDFILE";

    sealed class Api
    {
        public delegate* unmanaged[Cdecl]<byte*, int, SfInfo*, nint> Open;
        public delegate* unmanaged[Cdecl]<char*, int, SfInfo*, nint> WideOpen;
        public delegate* unmanaged[Cdecl]<nint, int> Close;
        public delegate* unmanaged[Cdecl]<nint, long, int, long> Seek;
        public delegate* unmanaged[Cdecl]<nint, float*, long, long> ReadFramesFloat;
        public delegate* unmanaged[Cdecl]<nint, float*, long, long> WriteFramesFloat;
        public delegate* unmanaged[Cdecl]<nint, short*, long, long> WriteFramesShort;
        public delegate* unmanaged[Cdecl]<nint, int> Error;
        public delegate* unmanaged[Cdecl]<nint, byte*> StrError;
        public delegate* unmanaged[Cdecl]<nint, int, void*, int, int> Command;
    }

    static readonly Lazy<Api> api = new(LoadApi, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads libsndfile now; throws <see cref="DllNotFoundException"/> with the install command when it is missing.</summary>
    public static void EnsureLoaded() => _ = api.Value;

    public static nint Open(string path, int mode, ref SfInfo info)
    {
        var a = api.Value;
        fixed (SfInfo* infoPointer = &info)
        {
            if (OperatingSystem.IsWindows() && a.WideOpen != null)
            {
                fixed (char* widePath = path) return a.WideOpen(widePath, mode, infoPointer);
            }
            byte[] utf8 = new byte[System.Text.Encoding.UTF8.GetByteCount(path) + 1];
            System.Text.Encoding.UTF8.GetBytes(path, utf8);
            fixed (byte* utf8Path = utf8) return a.Open(utf8Path, mode, infoPointer);
        }
    }

    public static int Close(nint handle) => api.Value.Close(handle);

    public static long Seek(nint handle, long frames) => api.Value.Seek(handle, frames, SeekSet);

    public static long ReadFrames(nint handle, float* destination, long frames) => api.Value.ReadFramesFloat(handle, destination, frames);

    public static long WriteFrames(nint handle, float* source, long frames) => api.Value.WriteFramesFloat(handle, source, frames);

    public static long WriteFrames(nint handle, short* source, long frames) => api.Value.WriteFramesShort(handle, source, frames);

    /// <summary>Writes whole frames of interleaved samples; returns the frames written.</summary>
    public static long WriteFrames(nint handle, ReadOnlySpan<float> interleaved, int channels)
    {
        fixed (float* source = interleaved) return WriteFrames(handle, source, interleaved.Length / channels);
    }

    /// <summary>SFC_SET_NORM_FLOAT: whether floats map [-1, 1] to the integer range (true, the default) or are the integers.</summary>
    public static void SetNormalizedFloat(nint handle, bool normalized) =>
        Command(handle, CommandSetNormFloat, null, normalized ? 1 : 0);

    /// <summary>The error code of <paramref name="handle"/>, or of the last failed open when it is zero.</summary>
    public static int Error(nint handle) => api.Value.Error(handle);

    /// <summary>libsndfile's message for the error of <paramref name="handle"/>, or of the last failed open when it is zero.</summary>
    public static string StrError(nint handle) => Marshal.PtrToStringUTF8((nint)api.Value.StrError(handle)) ?? "unknown error";

    public static int Command(nint handle, int command, void* data, int size) => api.Value.Command(handle, command, data, size);

    /// <summary>The library's version string, e.g. <c>libsndfile-1.2.0</c>.</summary>
    public static string Version()
    {
        byte* buffer = stackalloc byte[128];
        int length = Command(0, CommandGetLibVersion, buffer, 128);
        return Marshal.PtrToStringUTF8((nint)buffer, Math.Max(0, Math.Min(length, 128))).TrimEnd('\0');
    }

    /// <summary>libsndfile's description of a major or sub format (e.g. "WAV (Microsoft)", "Signed 16 bit PCM"), or null.</summary>
    public static string? FormatDescription(int format)
    {
        var info = new SfFormatInfo { Format = format };
        if (Command(0, CommandGetFormatInfo, &info, sizeof(SfFormatInfo)) != 0 || info.Name == 0) return null;
        return Marshal.PtrToStringUTF8(info.Name);
    }

    static string[] CandidateNames()
    {
        string? overridePath = Environment.GetEnvironmentVariable(LibraryPathVariable);
        var names = new List<string>();
        if (!string.IsNullOrEmpty(overridePath)) names.Add(overridePath);
        if (OperatingSystem.IsWindows()) names.AddRange(["sndfile.dll", "libsndfile-1.dll"]);
        else if (OperatingSystem.IsMacOS())
            names.AddRange(["libsndfile.1.dylib", "libsndfile.dylib", "/opt/homebrew/lib/libsndfile.1.dylib", "/usr/local/lib/libsndfile.1.dylib"]);
        else names.AddRange(["libsndfile.so.1", "libsndfile.so"]);
        return names.ToArray();
    }

    static Api LoadApi()
    {
        string[] names = CandidateNames();
        nint library = 0;
        foreach (string name in names)
            if (NativeLibrary.TryLoad(name, out library)) break;
        if (library == 0)
            throw new DllNotFoundException(
                $"libsndfile, the library Kanade decodes audio files with, could not be loaded (tried {string.Join(", ", names)}). " +
                "Install it: `apt-get install libsndfile1` (Debian/Ubuntu), `dnf install libsndfile` (Fedora), " +
                $"`brew install libsndfile` (macOS); or set {LibraryPathVariable} to the library's path.");

        nint Export(string name) => NativeLibrary.TryGetExport(library, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"The loaded libsndfile lacks '{name}'; libsndfile 1.0.28 or newer is required.");

        var result = new Api
        {
            Open = (delegate* unmanaged[Cdecl]<byte*, int, SfInfo*, nint>)Export("sf_open"),
            Close = (delegate* unmanaged[Cdecl]<nint, int>)Export("sf_close"),
            Seek = (delegate* unmanaged[Cdecl]<nint, long, int, long>)Export("sf_seek"),
            ReadFramesFloat = (delegate* unmanaged[Cdecl]<nint, float*, long, long>)Export("sf_readf_float"),
            WriteFramesFloat = (delegate* unmanaged[Cdecl]<nint, float*, long, long>)Export("sf_writef_float"),
            WriteFramesShort = (delegate* unmanaged[Cdecl]<nint, short*, long, long>)Export("sf_writef_short"),
            Error = (delegate* unmanaged[Cdecl]<nint, int>)Export("sf_error"),
            StrError = (delegate* unmanaged[Cdecl]<nint, byte*>)Export("sf_strerror"),
            Command = (delegate* unmanaged[Cdecl]<nint, int, void*, int, int>)Export("sf_command"),
        };
        if (OperatingSystem.IsWindows() && NativeLibrary.TryGetExport(library, "sf_wchar_open", out nint wide))
            result.WideOpen = (delegate* unmanaged[Cdecl]<char*, int, SfInfo*, nint>)wide;
        return result;
    }
}
