using System.Buffers;

namespace Distill.Core.Imports;

/// <summary>
/// RFC 4180 record ends: a line feed outside quotes. A quote opens a quoted field only at the start of a field, and
/// inside one a doubled quote is a literal quote; <see cref="CsvFields"/> splits a record by the same rules, so the two
/// always agree on where fields and records end.
/// </summary>
internal sealed class CsvBoundary(byte delimiter) : RecordBoundary
{
    private const byte Quote = (byte)'"';
    private const byte LineFeed = (byte)'\n';

    private readonly SearchValues<byte> _outsideStops = SearchValues.Create([LineFeed, Quote, delimiter]);
    private bool _atFieldStart = true;
    private bool _inQuotes;
    private bool _quotePending;
    private int _innerLineBreaks;

    public override int InnerLineBreaks => _innerLineBreaks;

    public override bool IsInsideQuotes => _inQuotes && !_quotePending;

    public override void Reset()
    {
        _atFieldStart = true;
        _inQuotes = false;
        _quotePending = false;
        _innerLineBreaks = 0;
    }

    public override int FindEnd(ReadOnlySpan<byte> unscanned)
    {
        var i = 0;
        while (i < unscanned.Length)
        {
            if (_quotePending)
            {
                // A quote inside a quoted field: doubled it is a literal quote, otherwise it closed the field. The
                // deciding byte may arrive in the next read, hence the pending state.
                _quotePending = false;
                if (unscanned[i] == Quote)
                {
                    i++;
                    continue;
                }

                _inQuotes = false;
            }

            if (_inQuotes)
            {
                var next = unscanned[i..].IndexOfAny(Quote, LineFeed);
                if (next < 0)
                {
                    return -1;
                }

                i += next;
                if (unscanned[i] == LineFeed)
                {
                    _innerLineBreaks++;
                }
                else
                {
                    _quotePending = true;
                }

                i++;
                continue;
            }

            var stop = unscanned[i..].IndexOfAny(_outsideStops);
            if (stop < 0)
            {
                _atFieldStart = false;
                return -1;
            }

            if (stop > 0)
            {
                _atFieldStart = false;
            }

            i += stop;
            var b = unscanned[i];
            if (b == LineFeed)
            {
                return i;
            }

            if (b == delimiter)
            {
                _atFieldStart = true;
            }
            else
            {
                _inQuotes = _atFieldStart;
                _atFieldStart = false;
            }

            i++;
        }

        return -1;
    }
}
