using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks symbol-version requirements of an ELF64 shared library as weak (VER_FLG_WEAK), so the loader
/// accepts a libstdc++ that lacks that version tag. TorchSharp's libLibTorchSharp.so asks for GLIBCXX_3.4.32
/// only for std::ios_base_library_init, which nothing calls, and Debian 12's libstdc++ stops at 3.4.30.
/// Idempotent; edits the file in place.
/// </summary>
public class WeakenElfVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string Versions { get; set; } = "";

    public override bool Execute()
    {
        var wanted = new HashSet<string>(Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries));
        foreach (var library in Libraries)
        {
            var path = library.ItemSpec;
            var elf = File.ReadAllBytes(path);
            var weakened = Weaken(path, elf, wanted);
            if (weakened.Count > 0)
            {
                File.WriteAllBytes(path, elf);
                Log.LogMessage(MessageImportance.High, "{0}: marked {1} as weak", path, string.Join(", ", weakened));
            }
        }

        return !Log.HasLoggedErrors;
    }

    private List<string> Weaken(string path, byte[] elf, HashSet<string> wanted)
    {
        var changed = new List<string>();
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogError("{0} is not a little-endian ELF64 file.", path);
            return changed;
        }

        var sectionTable = (long)BitConverter.ToUInt64(elf, 0x28);
        var sectionSize = BitConverter.ToUInt16(elf, 0x3A);
        var sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        for (var i = 0; i < sectionCount; i++)
        {
            var header = sectionTable + i * sectionSize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = (long)BitConverter.ToUInt64(elf, (int)header + 24);
            var link = BitConverter.ToUInt32(elf, (int)header + 40);
            var entries = BitConverter.ToUInt32(elf, (int)header + 44);
            var strings = (long)BitConverter.ToUInt64(elf, (int)(sectionTable + link * sectionSize + 24));

            // Elf64_Verneed { vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32 }
            // Elf64_Vernaux { vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32 }
            var need = offset;
            for (var n = 0; n < entries; n++)
            {
                var count = BitConverter.ToUInt16(elf, (int)need + 2);
                var aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (var a = 0; a < count; a++)
                {
                    var name = ReadString(elf, strings + BitConverter.ToUInt32(elf, (int)aux + 8));
                    var flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (wanted.Contains(name) && (flags & VerFlagWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, (int)aux + 4);
                        changed.Add(name);
                    }

                    var nextAux = BitConverter.ToUInt32(elf, (int)aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                var next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0)
                {
                    break;
                }

                need += next;
            }
        }

        return changed;
    }

    private static string ReadString(byte[] elf, long offset)
    {
        var end = (int)offset;
        while (elf[end] != 0)
        {
            end++;
        }

        return System.Text.Encoding.ASCII.GetString(elf, (int)offset, end - (int)offset);
    }
}
