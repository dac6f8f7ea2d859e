using System.Buffers;

namespace Distill.Core.Imports;

/// <summary>
/// Cuts a stream into records (lines, or CSV records) without ever holding more than one record plus one read: chunks
/// go into a pooled buffer that grows only as far as the longest acceptable record. A longer record is skipped by
/// scanning for its end and discarding, so a 50 GB line costs no more memory than an 8 MiB one.
/// </summary>
/// <remarks>
/// Protocol: call <see cref="TryRead"/> until it returns false, then <see cref="IsFinished"/> or <see cref="Fill"/> /
/// <see cref="FillAsync"/>. A record's bytes stay valid only until the next call.
/// </remarks>
internal sealed class RecordReader : IDisposable
{
    private readonly Stream _stream;
    private readonly RecordBoundary _boundary;
    private readonly int _maxRecordBytes;
    private readonly int _excerptBytes;
    private byte[] _buffer;
    private bool _bufferIsPooled = true;
    private int _start;
    private int _end;
    private int _scanned;
    private bool _encodingChecked;
    private bool _endOfStream;
    private long _nextLine = 1;

    private bool _skipping;
    private byte[]? _excerpt;
    private int _excerptLength;

    public RecordReader(Stream stream, RecordBoundary boundary, ImportOptions options)
    {
        _stream = stream;
        _boundary = boundary;
        _maxRecordBytes = options.MaxLineBytes;
        _excerptBytes = options.ExcerptBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(options.ChunkBytes, 16));
    }

    /// <summary>The whole file is unreadable (empty, or not UTF-8); set instead of any record.</summary>
    public ImportIssue? FileIssue { get; private set; }

    public bool IsFinished { get; private set; }

    public long BytesRead { get; private set; }

    public long LinesRead { get; private set; }

    /// <summary>The largest a record can be, line ending included, before it is known to be over the limit.</summary>
    private int Capacity => _maxRecordBytes + 2;

    public bool TryRead(out RawRecord record)
    {
        record = default;
        if (IsFinished || !_encodingChecked)
        {
            return false;
        }

        if (_skipping)
        {
            return TrySkip(out record);
        }

        var found = _boundary.FindEnd(_buffer.AsSpan(_scanned, _end - _scanned));
        if (found >= 0)
        {
            var terminator = _scanned + found;
            record = Complete(terminator, endsFile: false);
            Advance(terminator + 1, terminated: true);
            return true;
        }

        _scanned = _end;
        if (_end - _start >= Capacity)
        {
            StartSkipping();
            return TrySkip(out record);
        }

        if (!_endOfStream)
        {
            return false;
        }

        IsFinished = true;
        if (_start == _end)
        {
            return false;
        }

        record = Complete(_end, endsFile: true);
        Advance(_end, terminated: false);
        return true;
    }

    public void Fill()
    {
        if (PrepareFill())
        {
            Filled(_stream.Read(_buffer, _end, _buffer.Length - _end));
        }
    }

    public async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (PrepareFill())
        {
            Filled(await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false));
        }
    }

    public void Dispose()
    {
        if (_bufferIsPooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _bufferIsPooled = false;
    }

    /// <summary>The record from the current start up to <paramref name="end"/>, without its line ending.</summary>
    private RawRecord Complete(int end, bool endsFile)
    {
        var length = end - _start;
        if (length > 0 && _buffer[end - 1] == (byte)'\r')
        {
            length--;
        }

        var bytes = _buffer.AsMemory(_start, length);
        if (length > _maxRecordBytes)
        {
            return new RawRecord(_nextLine, bytes[..Math.Min(length, _excerptBytes)].ToArray(), IsWhole: false, endsFile, TooLongIssue());
        }

        var span = bytes.Span;
        var problem = endsFile && _boundary.IsInsideQuotes
            ? new ImportIssue(_nextLine, "", "the file ends inside a quoted field that starts on this line; was the upload truncated?")
            : ByteOrderMarks.Identify(span) is { } mark
                ? new ImportIssue(_nextLine, "",
                    $"starts with a {mark.Encoding} byte order mark ({mark.Hex}), which belongs only at the start of a file; were files joined together?")
                : Utf8Problems.Find(span, _nextLine, endsFile);
        return new RawRecord(_nextLine, bytes, IsWhole: true, endsFile, problem);
    }

    private ImportIssue TooLongIssue() => new(_nextLine, "", $"is longer than the {ByteSizes.Describe(_maxRecordBytes)} limit");

    private void Advance(int next, bool terminated)
    {
        var lines = 1 + _boundary.InnerLineBreaks;
        LinesRead += lines;
        _nextLine += terminated ? lines : lines - 1;
        _start = next;
        _scanned = next;
        _boundary.Reset();
    }

    private void StartSkipping()
    {
        // Keep only the start of the record, for the quarantine file; the rest is scanned for the record's end and dropped as it arrives.
        _skipping = true;
        _excerpt ??= new byte[_excerptBytes];
        _excerptLength = Math.Min(_excerptBytes, _end - _start);
        _buffer.AsSpan(_start, _excerptLength).CopyTo(_excerpt);
        _start = _end = _scanned = 0;
    }

    private bool TrySkip(out RawRecord record)
    {
        record = default;
        var found = _boundary.FindEnd(_buffer.AsSpan(_start, _end - _start));
        if (found < 0)
        {
            _start = _end = _scanned = 0;
            if (!_endOfStream)
            {
                return false;
            }

            IsFinished = true;
            record = Skipped(endsFile: true);
            Advance(0, terminated: false);
            return true;
        }

        record = Skipped(endsFile: false);
        Advance(_start + found + 1, terminated: true);
        return true;
    }

    private RawRecord Skipped(bool endsFile)
    {
        _skipping = false;
        return new RawRecord(_nextLine, _excerpt.AsMemory(0, _excerptLength), IsWhole: false, endsFile, TooLongIssue());
    }

    private bool PrepareFill()
    {
        if (IsFinished || _endOfStream)
        {
            return false;
        }

        if (_start > 0)
        {
            // Only the unfinished record moves: usually a fraction of one line per chunk.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _scanned -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Grow();
        }

        return true;
    }

    private void Grow()
    {
        if (_buffer.Length >= Capacity)
        {
            throw new InvalidOperationException("The record buffer is full; TryRead must run before Fill.");
        }

        // Quadrupling keeps the copies few; the last step is sized exactly, since a pool would round 8 MiB + 2 up to 16 MiB.
        var size = (int)Math.Min((long)_buffer.Length * 4, Capacity);
        var pooled = size < Capacity;
        var larger = pooled ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        _buffer.AsSpan(0, _end).CopyTo(larger);
        if (_bufferIsPooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
        _bufferIsPooled = pooled;
    }

    private void Filled(int read)
    {
        if (read == 0)
        {
            _endOfStream = true;
        }

        _end += read;
        BytesRead += read;
        if (!_encodingChecked && (_end - _start >= 4 || _endOfStream))
        {
            CheckEncoding();
        }
    }

    private void CheckEncoding()
    {
        _encodingChecked = true;
        var head = _buffer.AsSpan(_start, _end - _start);
        if (ByteOrderMarks.Identify(head) is { } mark)
        {
            if (mark.Encoding != "UTF-8")
            {
                Refuse($"the file is {mark.Encoding} (BOM {mark.Hex}); save it as UTF-8");
                return;
            }

            _start += ByteOrderMarks.Utf8.Length;
            _scanned = _start;
            head = head[ByteOrderMarks.Utf8.Length..];
        }
        else if (ArchiveSignatures.Describe(head) is { } archive)
        {
            Refuse(archive);
            return;
        }
        else if (ByteOrderMarks.LooksLikeUtf16(head))
        {
            Refuse("the file looks like UTF-16 without a byte order mark (NUL bytes between characters); save it as UTF-8");
            return;
        }

        if (head.IsEmpty && _endOfStream)
        {
            Refuse("the file is empty");
        }
    }

    private void Refuse(string reason)
    {
        FileIssue = new ImportIssue(0, "", reason);
        IsFinished = true;
    }
}
