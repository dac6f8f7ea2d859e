namespace Distill.Core.Imports;

/// <summary>
/// The running counts of one import, updated while its records are enumerated (so a job can report progress) and final
/// when the enumeration ends. Every record read is accepted, rejected or blank:
/// <c>RecordsRead == Accepted + Rejected + Blank</c> always holds between records.
/// </summary>
public sealed class ImportSummary
{
    private readonly List<ImportIssue> _fileIssues = [];

    /// <summary>Physical lines, the CSV header and the lines inside quoted CSV fields included.</summary>
    public long LinesRead { get; internal set; }

    /// <summary>JSONL lines, or CSV data rows (a row spanning lines counts once; the header is not a record).</summary>
    public long RecordsRead { get; internal set; }

    public long Accepted { get; internal set; }

    public long Rejected { get; internal set; }

    /// <summary>Whitespace-only lines (CSV: rows of empty cells), ignored by design rather than rejected.</summary>
    public long Blank { get; internal set; }

    /// <summary>Bytes taken from the stream, for progress against the blob's length.</summary>
    public long BytesRead { get; internal set; }

    /// <summary>Problems of the file as a whole (empty, wrong encoding, unknown CSV column): nothing of it may be imported.</summary>
    public IReadOnlyList<ImportIssue> FileIssues => _fileIssues;

    /// <summary>Set when the enumeration ran to the end; a summary of an abandoned enumeration is not a verdict.</summary>
    public bool IsComplete { get; internal set; }

    /// <summary>Whether the caller may commit what it inserted, under the policy the user chose. An import that accepted
    /// nothing fails either way: an empty dataset is never what the user meant.</summary>
    public bool Succeeded(BadLinePolicy policy) =>
        IsComplete && _fileIssues.Count == 0 && Accepted > 0 && (policy == BadLinePolicy.Quarantine || Rejected == 0);

    internal void AddFileIssue(ImportIssue issue) => _fileIssues.Add(issue);

    public override string ToString() =>
        $"{RecordsRead} records from {LinesRead} lines: {Accepted} accepted, {Rejected} rejected, {Blank} blank"
        + (_fileIssues.Count > 0 ? $"; {string.Join("; ", _fileIssues.Select(i => i.Message))}" : "");
}
