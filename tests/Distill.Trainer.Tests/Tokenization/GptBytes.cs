using System.Text;

namespace Distill.Trainer.Tests.Tokenization;

/// <summary>The tests' own copy of GPT-2's byte-to-character table, independent of the code under test.</summary>
internal static class GptBytes
{
    public static readonly char[] Chars = Build();

    public static string Spell(string text) => new(Encoding.UTF8.GetBytes(text).Select(b => Chars[b]).ToArray());

    private static char[] Build()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1)).Concat(Enumerable.Range(0xAE, 0xFF - 0xAE + 1)).ToHashSet();
        var chars = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            chars[b] = printable.Contains(b) ? (char)b : (char)next++;
        }

        return chars;
    }
}
