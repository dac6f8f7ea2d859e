using System.Text;
using Distill.Core.Imports;

namespace Distill.UnitTests.Imports;

/// <summary>Runs an import over in-memory bytes and checks what every import must satisfy, whatever its input.</summary>
internal static class ImportKit
{
    public static ImportOptions Chat { get; } = new(ImportFormat.ChatMessages);

    public static (List<ImportRecord> Records, ImportSummary Summary) Import(string text, ImportOptions? options = null) =>
        Import(Encoding.UTF8.GetBytes(text), options);

    public static (List<ImportRecord> Records, ImportSummary Summary) Import(byte[] bytes, ImportOptions? options = null, int? readSize = null) =>
        Import(readSize is { } size ? new TrickleStream(bytes, size) : new MemoryStream(bytes), options);

    public static (List<ImportRecord> Records, ImportSummary Summary) Import(Stream stream, ImportOptions? options = null)
    {
        var summary = new ImportSummary();
        options ??= Chat;
        var records = new ExampleImporter(options).Read(stream, summary).ToList();
        AssertBalanced(records, summary);
        if (options.Format != ImportFormat.Csv)
        {
            Assert.Equal(summary.LinesRead, summary.RecordsRead);
        }

        return (records, summary);
    }

    /// <summary>Nothing is dropped silently: every record is accepted, rejected or counted blank, and the stream matches the counts.</summary>
    public static void AssertBalanced(IReadOnlyList<ImportRecord> records, ImportSummary summary)
    {
        Assert.True(summary.IsComplete);
        Assert.Equal(summary.RecordsRead, summary.Accepted + summary.Rejected + summary.Blank);
        Assert.Equal(summary.Accepted, records.OfType<AcceptedRecord>().Count());
        Assert.Equal(summary.Rejected, records.OfType<RejectedRecord>().Count());
        Assert.True(records.Select(r => r.Line).SequenceEqual(records.Select(r => r.Line).Order()), "records come in file order");
    }

    public static AcceptedRecord SingleAccepted(string line, ImportOptions? options = null)
    {
        var (records, summary) = Import(line + "\n", options);
        Assert.Empty(summary.FileIssues);
        return Assert.IsType<AcceptedRecord>(Assert.Single(records));
    }

    /// <summary>The messages of the only record, which must have been rejected: nothing of it may leak as an example.</summary>
    public static string[] SingleRejected(string line, ImportOptions? options = null)
    {
        var (records, summary) = Import(line + "\n", options);
        Assert.Equal(1, summary.Rejected);
        Assert.Equal(0, summary.Accepted);
        return Assert.IsType<RejectedRecord>(Assert.Single(records)).Issues.Select(i => i.Message).ToArray();
    }

    public static string User(string text) => $$"""{"role":"user","content":{{Json(text)}}}""";

    public static string Assistant(string text) => $$"""{"role":"assistant","content":{{Json(text)}}}""";

    public static string ChatLine(params string[] messages) => $$"""{"messages":[{{string.Join(",", messages)}}]}""";

    /// <summary>A JSON string with non-ASCII text left as raw UTF-8, as real exports have it.</summary>
    public static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text, RawUtf8);

    private static readonly System.Text.Json.JsonSerializerOptions RawUtf8 =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>Hands out at most a few bytes per read, as a slow network stream may, to shake out buffer-boundary bugs.</summary>
internal sealed class TrickleStream(byte[] bytes, int readSize) : MemoryStream(bytes)
{
    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, readSize));

    public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, readSize)]);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        base.ReadAsync(buffer[..Math.Min(buffer.Length, readSize)], cancellationToken);
}

/// <summary>A stream made of parts generated on demand: a huge line without a huge array.</summary>
internal sealed class GeneratedStream(params (byte[] Bytes, long Repeat)[] parts) : Stream
{
    private int _part;
    private long _offset;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _part < parts.Length)
        {
            var (bytes, repeat) = parts[_part];
            var total = bytes.Length * repeat;
            if (_offset == total)
            {
                _part++;
                _offset = 0;
                continue;
            }

            var at = (int)(_offset % bytes.Length);
            var n = Math.Min(buffer.Length - written, bytes.Length - at);
            bytes.AsSpan(at, n).CopyTo(buffer[written..]);
            written += n;
            _offset += n;
        }

        return written;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
