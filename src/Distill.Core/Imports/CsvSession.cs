using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>
/// A CSV import: the first non-blank record is the header, which must name every chosen column; each later record is
/// one example (system, user prompt, optional assistant completion, metadata cells). Rows are numbered by the line
/// they start on.
/// </summary>
internal sealed class CsvSession : ImportSession
{
    private readonly CsvImportOptions _csv;
    private readonly byte _delimiter;
    private readonly List<CsvField> _fields = [];
    private string[]? _header;
    private CsvColumns? _columns;

    public CsvSession(ImportOptions options, ITokenEstimator tokens, ImportSummary summary)
        : base(options, tokens, summary)
    {
        _csv = options.Csv!;
        _delimiter = (byte)_csv.Delimiter;
        Boundary = new CsvBoundary(_delimiter);
    }

    public override RecordBoundary Boundary { get; }

    public override ImportRecord? Read(in RawRecord raw)
    {
        if (_columns is null)
        {
            return ReadHeader(raw);
        }

        if (raw.Problem is { } problem)
        {
            return Reject(raw, [problem]);
        }

        var bytes = raw.Bytes.Span;
        if (bytes.IsEmpty)
        {
            return Blank();
        }

        Issues.Start(raw.Line);
        if (CsvFields.Split(bytes, _delimiter, _fields) is { } malformed)
        {
            Issues.Add(ColumnName(malformed.Field), malformed.Reason);
            return Reject(raw, Issues.ToArray());
        }

        if (AllEmpty(_fields))
        {
            return Blank();
        }

        if (_fields.Count != _header!.Length)
        {
            Issues.Add("", $"the row has {_fields.Count} fields; the header has {_header.Length}");
            return Reject(raw, Issues.ToArray());
        }

        return Conclude(raw, Map(bytes, _columns));
    }

    public override void Finish()
    {
        if (_columns is not null && Summary.FileIssues.Count == 0 && Summary.RecordsRead == Summary.Blank)
        {
            Summary.AddFileIssue(new ImportIssue(0, "", "the file has a header row but no data rows"));
            return;
        }

        base.Finish();
    }

    private ImportRecord? ReadHeader(in RawRecord raw)
    {
        if (raw.Problem is null && raw.Bytes.IsEmpty)
        {
            return Blank();
        }

        var problems = new List<string>();
        if (raw.Problem is { } problem)
        {
            problems.Add($"the header row cannot be read: {problem.Reason}");
        }
        else if (CsvFields.Split(raw.Bytes.Span, _delimiter, _fields) is { } malformed)
        {
            problems.Add($"the header row cannot be read: column {malformed.Field + 1}: {malformed.Reason}");
        }
        else
        {
            _header = new string[_fields.Count];
            for (var i = 0; i < _header.Length; i++)
            {
                _header[i] = CsvFields.Text(raw.Bytes.Span, _fields[i]).Trim();
            }

            _columns = CsvColumns.Resolve(_header, _csv, Options.RequireAssistantReply, problems);
        }

        foreach (var reason in problems)
        {
            Summary.AddFileIssue(new ImportIssue(raw.Line, "", reason));
        }

        Stopped = _columns is null;
        return null;
    }

    private MappedExample Map(ReadOnlySpan<byte> bytes, CsvColumns columns)
    {
        var system = columns.System >= 0 ? Cell(bytes, columns.System) : "";
        var prompt = Cell(bytes, columns.Prompt);
        var completion = columns.Completion >= 0 ? Cell(bytes, columns.Completion) : "";
        if (string.IsNullOrWhiteSpace(prompt))
        {
            Issues.Add(_header![columns.Prompt], "empty");
        }

        if (columns.Completion >= 0 && string.IsNullOrWhiteSpace(completion) && Options.RequireAssistantReply)
        {
            Issues.Add(_header![columns.Completion], "empty; training data needs the reply to learn from");
        }

        var messages = new List<ExampleMessage?>(3);
        if (!string.IsNullOrWhiteSpace(system))
        {
            messages.Add(new ExampleMessage(ExampleMessage.System, system));
        }

        messages.Add(new ExampleMessage(ExampleMessage.User, prompt));
        if (!string.IsNullOrWhiteSpace(completion))
        {
            messages.Add(new ExampleMessage(ExampleMessage.Assistant, completion));
        }

        Dictionary<string, string>? metadata = null;
        foreach (var (name, index) in columns.Metadata)
        {
            if (_fields[index].Length > 0)
            {
                (metadata ??= new(StringComparer.Ordinal))[name] = Cell(bytes, index);
            }
        }

        return new MappedExample([.. messages], MetadataReader.OrNone(metadata), MessagePaths.Messages, ReplyField: null);
    }

    private string Cell(ReadOnlySpan<byte> bytes, int index) => CsvFields.Text(bytes, _fields[index]);

    private string ColumnName(int field) => _header is not null && field < _header.Length ? _header[field] : $"column {field + 1}";

    private static bool AllEmpty(List<CsvField> fields)
    {
        foreach (var field in fields)
        {
            if (field.Length > 0)
            {
                return false;
            }
        }

        return true;
    }
}
