namespace Distill.Core.Imports;

/// <summary>
/// Compressed uploads would otherwise fail as "invalid UTF-8 at byte 2" on every line; their magic numbers say
/// what the user actually has to do.
/// </summary>
internal static class ArchiveSignatures
{
    public static string? Describe(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return "the file is gzip-compressed; decompress it and upload the JSONL or CSV inside";
        }

        return head.StartsWith("PK\x03\x04"u8)
            ? "the file is a ZIP archive (an Excel workbook is one); export or extract the JSONL or CSV and upload that"
            : null;
    }
}
