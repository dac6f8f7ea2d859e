using System.Text;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// GPT-2's reversible byte-to-character table: byte-level BPE vocabularies spell every UTF-8 byte as one printable
/// character (a space is "Ġ"), so the vocabulary can be looked up with ordinary strings.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildTable();
    private static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, b)).ToDictionary(x => x.c, x => (byte)x.b);

    public static char CharOf(byte value) => ByteToChar[value];

    public static string Encode(ReadOnlySpan<char> text)
    {
        var bytes = Encoding.UTF8.GetBytes(text.ToArray());
        return string.Create(bytes.Length, bytes, static (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                chars[i] = ByteToChar[source[i]];
            }
        });
    }

    /// <summary>Appends the bytes a vocabulary token spells; false when it holds a character outside the table.</summary>
    public static bool TryAppendBytes(string token, List<byte> bytes)
    {
        foreach (var c in token)
        {
            if (!CharToByte.TryGetValue(c, out var value))
            {
                return false;
            }

            bytes.Add(value);
        }

        return true;
    }

    private static char[] BuildTable()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            // Printable Latin-1 keeps its own code point; everything else moves past 255 in byte order.
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }

        return table;
    }
}
