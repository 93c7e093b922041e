// Makes TorchSharp's native shim loadable on Debian 12 / Ubuntu 22.04.
//
// TorchSharp 0.107.0's libLibTorchSharp.so lists GLIBCXX_3.4.32 (GCC 13's libstdc++) among the versions it
// needs, for one symbol (_ZSt21ios_base_library_initv) that no relocation uses. Older libstdc++ stops at
// 3.4.30, so the dynamic loader refuses the whole library. Setting VER_FLG_WEAK on that one Elf64_Vernaux
// entry of .gnu.version_r turns the hard requirement into a weak one the loader accepts.
//
// Compiled by MSBuild's RoslynCodeTaskFactory (build/WeakGlibcxx.targets) against netstandard2.0, hence the plain APIs.
#nullable enable
using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakGlibcxxVersion : Task
{
    const string MissingVersion = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 0x2;

    /// <summary>Folders searched (recursively) for libLibTorchSharp.so.</summary>
    [Required] public string[] Directories { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return true;
        string? libstdcxx = FindLibStdCxx();
        if (libstdcxx != null && ContainsAscii(File.ReadAllBytes(libstdcxx), MissingVersion + "\0"))
            return true; // the machine's libstdc++ provides the version: leave the shim untouched

        foreach (string dir in Directories.Where(Directory.Exists).Distinct())
        foreach (string shim in Directory.EnumerateFiles(dir, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            try
            {
                if (MarkWeak(shim))
                    Log.LogMessage(MessageImportance.High,
                        $"Kanade: marked {MissingVersion} weak in {shim} (this machine's libstdc++ lacks it; see README 'Troubleshooting').");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogWarning($"Kanade: could not patch {shim}: {e.Message}. TorchSharp will fail to load on this machine.");
            }
        }
        return !Log.HasLoggedErrors;
    }

    static string? FindLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        return candidates.FirstOrDefault(File.Exists);
    }

    static bool ContainsAscii(byte[] haystack, string needle)
    {
        byte[] pattern = Encoding.ASCII.GetBytes(needle);
        for (int i = Array.IndexOf(haystack, pattern[0]); i >= 0 && i <= haystack.Length - pattern.Length;
             i = Array.IndexOf(haystack, pattern[0], i + 1))
        {
            int k = 1;
            while (k < pattern.Length && haystack[i + k] == pattern[k]) k++;
            if (k == pattern.Length) return true;
        }
        return false;
    }

    /// <summary>Sets the weak flag on the GLIBCXX_3.4.32 requirement. Returns false when nothing needed changing.</summary>
    static bool MarkWeak(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        ulong sectionHeaders = BitConverter.ToUInt64(elf, 0x28);
        int headerSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        bool changed = false;
        for (int s = 0; s < sectionCount; s++)
        {
            int header = checked((int)sectionHeaders + s * headerSize);
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, header + 0x18));
            int stringTableIndex = (int)BitConverter.ToUInt32(elf, header + 0x28);
            int strings = checked((int)BitConverter.ToUInt64(elf, (int)sectionHeaders + stringTableIndex * headerSize + 0x18));

            // Elf64_Verneed { u16 version, u16 count, u32 file, u32 aux, u32 next }
            for (int need = offset; ; )
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                // Elf64_Vernaux { u32 hash, u16 flags, u16 other, u32 name, u32 next }
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    string name = ReadString(elf, strings + (int)BitConverter.ToUInt32(elf, aux + 8));
                    ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                    if (name == MissingVersion && (flags & VerFlagWeak) == 0)
                    {
                        ushort weak = (ushort)(flags | VerFlagWeak);
                        elf[aux + 4] = (byte)(weak & 0xff);
                        elf[aux + 5] = (byte)(weak >> 8);
                        changed = true;
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, need + 12);
                if (next == 0) break;
                need += (int)next;
            }
        }
        if (!changed) return false;

        // Write beside and rename: the output file may be a hard link into the NuGet cache, which must stay pristine.
        string temporary = path + ".kanade-tmp";
        File.WriteAllBytes(temporary, elf);
        File.Delete(path);
        File.Move(temporary, path);
        return true;
    }

    static string ReadString(byte[] elf, int start)
    {
        int end = Array.IndexOf(elf, (byte)0, start);
        return Encoding.ASCII.GetString(elf, start, end - start);
    }
}
