using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Distill.Core.Imports;

/// <summary>
/// Writes rejected records as JSONL for the user to download and fix:
/// <c>{"line":N,"issues":[{"field":"..","reason":".."}],"raw":"..."}</c>, plus <c>"raw_truncated":true</c> when the
/// excerpt is only the start of the line. Buffers and writes to the stream in large blocks; dispose to flush.
/// </summary>
public sealed class QuarantineWriter : IDisposable, IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;

    // Relaxed escaping keeps non-ASCII text readable: the file is downloaded, never embedded in a page.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter _json;

    public QuarantineWriter(Stream stream)
    {
        _stream = stream;
        _json = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    public long Written { get; private set; }

    public void Write(RejectedRecord record)
    {
        Append(record);
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            Drain();
        }
    }

    public async ValueTask WriteAsync(RejectedRecord record, CancellationToken cancellationToken = default)
    {
        Append(record);
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Flush()
    {
        Drain();
        _stream.Flush();
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        Flush();
        _json.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync().ConfigureAwait(false);
        await _json.DisposeAsync().ConfigureAwait(false);
    }

    private void Append(RejectedRecord record)
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber("line"u8, record.Line);
        _json.WriteStartArray("issues"u8);
        foreach (var issue in record.Issues)
        {
            _json.WriteStartObject();
            _json.WriteString("field"u8, issue.Field);
            _json.WriteString("reason"u8, issue.Reason);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteString("raw"u8, record.RawExcerpt);
        if (record.ExcerptIsTruncated)
        {
            _json.WriteBoolean("raw_truncated"u8, true);
        }

        _json.WriteEndObject();
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        Written++;
    }

    private void Drain()
    {
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _buffer.ResetWrittenCount();
    }
}
