using System.Text;

namespace Distill.Core.Imports;

internal static class Excerpts
{
    /// <summary>
    /// The start of a raw record as text for the quarantine file. Cut on a character boundary; bytes that are not UTF-8
    /// become U+FFFD, since the point is to let the user find the line, not to reproduce it byte for byte.
    /// </summary>
    public static (string Text, bool Truncated) Of(ReadOnlySpan<byte> bytes, bool isWhole, int maxBytes)
    {
        var cut = Math.Min(bytes.Length, maxBytes);
        if (cut < bytes.Length)
        {
            while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
            {
                cut--;
            }
        }

        return (Encoding.UTF8.GetString(bytes[..cut]), !isWhole || cut < bytes.Length);
    }
}
