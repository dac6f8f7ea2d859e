using System.Globalization;
using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>
/// The text near-duplicate detection compares: case-folded, every run of punctuation, symbols and whitespace turned
/// into one space, invisible format characters (zero-width spaces, soft hyphens, byte-order marks) dropped, so that
/// edits a reader would not call a different text cost nothing. Letters, combining marks and digits are kept: digits
/// are often the whole difference between two arithmetic questions.
/// </summary>
internal static class NearDuplicateText
{
    public static string Normalize(ExampleRecord record, TextScope scope, bool includeSystemMessages)
    {
        var buffer = new char[256];
        var length = Normalize(record, scope, includeSystemMessages, ref buffer);
        return new string(buffer, 0, length);
    }

    /// <summary>Writes the normalised text into a reusable buffer, growing it when needed; returns its length.</summary>
    public static int Normalize(ExampleRecord record, TextScope scope, bool includeSystemMessages, ref char[] buffer)
    {
        var length = 0;
        var pendingSpace = false;
        foreach (var piece in ExampleText.Pieces(record, scope, includeSystemMessages))
        {
            pendingSpace = length > 0;
            foreach (var c in piece)
            {
                if (IsWordChar(c))
                {
                    if (length + 2 > buffer.Length)
                    {
                        Array.Resize(ref buffer, Math.Max(buffer.Length * 2, 256));
                    }

                    if (pendingSpace)
                    {
                        buffer[length++] = ' ';
                        pendingSpace = false;
                    }

                    buffer[length++] = char.ToLowerInvariant(c);
                }
                else if (c < 128 || CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
                {
                    pendingSpace = length > 0;
                }
            }
        }

        return length;
    }

    /// <summary>The words of the normalised text, for n-gram overlap.</summary>
    public static IEnumerable<ReadOnlyMemory<char>> Words(ReadOnlyMemory<char> normalized)
    {
        var start = 0;
        for (var i = 0; i <= normalized.Length; i++)
        {
            if (i == normalized.Length || normalized.Span[i] == ' ')
            {
                if (i > start)
                {
                    yield return normalized[start..i];
                }

                start = i + 1;
            }
        }
    }

    private static bool IsWordChar(char c)
    {
        if (c < 128)
        {
            return char.IsAsciiLetterOrDigit(c);
        }

        // Surrogate halves are kept as they are: pairs stay together, and an emoji is as much content as a word.
        return char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            _ => false,
        };
    }
}
