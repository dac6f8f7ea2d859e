using System.Text;
using System.Text.Unicode;

namespace Distill.Core.Imports;

/// <summary>Checks a record's UTF-8 and, only when it is invalid, finds where, in the user's terms: line and byte.</summary>
internal static class Utf8Problems
{
    public static ImportIssue? Find(ReadOnlySpan<byte> record, long firstLine, bool endsFile)
    {
        if (Utf8.IsValid(record))
        {
            return null;
        }

        var offset = 0;
        while (true)
        {
            var status = Rune.DecodeFromUtf8(record[offset..], out _, out var consumed);
            if (status == System.Buffers.OperationStatus.NeedMoreData && endsFile)
            {
                return new ImportIssue(firstLine + LineBreaks(record[..offset]), "",
                    "the file ends inside a UTF-8 character; was the upload truncated?");
            }

            if (status != System.Buffers.OperationStatus.Done)
            {
                // A record spanning lines (quoted CSV) reports the line the byte is on, and the byte within that line.
                var before = record[..offset];
                var lineStart = before.LastIndexOf((byte)'\n') + 1;
                return new ImportIssue(firstLine + LineBreaks(before), "", $"invalid UTF-8 at byte {offset - lineStart + 1}");
            }

            offset += consumed;
        }
    }

    private static int LineBreaks(ReadOnlySpan<byte> bytes) => bytes.Count((byte)'\n');
}
