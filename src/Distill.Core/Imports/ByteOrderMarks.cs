namespace Distill.Core.Imports;

/// <summary>Recognises byte order marks, so a file saved in the wrong encoding is named as such instead of failing as garbled JSON.</summary>
internal static class ByteOrderMarks
{
    public static ReadOnlySpan<byte> Utf8 => [0xEF, 0xBB, 0xBF];

    /// <summary>The encoding a byte order mark at the start of <paramref name="bytes"/> announces, with its bytes in hex.</summary>
    public static (string Encoding, string Hex)? Identify(ReadOnlySpan<byte> bytes)
    {
        // UTF-32 LE starts like UTF-16 LE, so it is tested first.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return ("UTF-32", "FF FE 00 00");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return ("UTF-32", "00 00 FE FF");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return ("UTF-16", "FF FE");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return ("UTF-16", "FE FF");
        }

        return bytes.StartsWith(Utf8) ? ("UTF-8", "EF BB BF") : null;
    }

    /// <summary>
    /// UTF-16 saved without a mark still betrays itself: text in JSON or CSV never holds NUL, but every ASCII character
    /// of UTF-16 pairs with one.
    /// </summary>
    public static bool LooksLikeUtf16(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 2 && (bytes[0] == 0) != (bytes[1] == 0);
}
