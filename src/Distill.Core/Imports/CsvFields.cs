using System.Text;

namespace Distill.Core.Imports;

/// <summary>Where one field of a CSV record lies; quoted fields exclude their quotes.</summary>
internal readonly record struct CsvField(int Start, int Length, bool Quoted, bool HasEscapedQuotes);

/// <summary>
/// Splits one complete CSV record into fields by RFC 4180, with the same quoting rules as <see cref="CsvBoundary"/>.
/// Malformed quoting is an error rather than guessed at: a guess would silently shift every later column.
/// </summary>
internal static class CsvFields
{
    private const byte Quote = (byte)'"';

    /// <returns>Null when the record splits cleanly; otherwise the 0-based field at fault and why.</returns>
    public static (int Field, string Reason)? Split(ReadOnlySpan<byte> record, byte delimiter, List<CsvField> fields)
    {
        fields.Clear();
        var i = 0;
        while (true)
        {
            if (i < record.Length && record[i] == Quote)
            {
                var start = ++i;
                var escapes = false;
                while (true)
                {
                    var quote = record[i..].IndexOf(Quote);
                    if (quote < 0)
                    {
                        return (fields.Count, "a quoted field is not closed");
                    }

                    i += quote;
                    if (i + 1 < record.Length && record[i + 1] == Quote)
                    {
                        escapes = true;
                        i += 2;
                        continue;
                    }

                    break;
                }

                fields.Add(new CsvField(start, i - start, Quoted: true, escapes));
                i++;
                if (i == record.Length)
                {
                    return null;
                }

                if (record[i] != delimiter)
                {
                    return (fields.Count - 1, "text after the closing quote; a quoted field must end at a delimiter or the end of the row");
                }

                i++;
                continue;
            }

            var next = record[i..].IndexOf(delimiter);
            var end = next < 0 ? record.Length : i + next;
            if (record[i..end].Contains(Quote))
            {
                return (fields.Count, "a quote inside a field that is not quoted; quote the whole field and double the quotes inside it");
            }

            fields.Add(new CsvField(i, end - i, Quoted: false, HasEscapedQuotes: false));
            if (next < 0)
            {
                return null;
            }

            i = end + 1;
        }
    }

    /// <summary>A field's text. Line breaks inside quoted fields become LF, so a CRLF file reads the same as an LF one.</summary>
    public static string Text(ReadOnlySpan<byte> record, CsvField field)
    {
        var text = Encoding.UTF8.GetString(record.Slice(field.Start, field.Length));
        if (field.HasEscapedQuotes)
        {
            text = text.Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        return field.Quoted && text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text;
    }
}
