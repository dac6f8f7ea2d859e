namespace Distill.Core.Imports;

/// <summary>
/// Gathers every issue of the record being read, so a user fixes a line once rather than once per error. One instance
/// serves a whole import: accepted records, the common case, allocate nothing here.
/// </summary>
internal sealed class IssueCollector
{
    private readonly List<ImportIssue> _issues = [];

    public long Line { get; private set; }

    public int Count => _issues.Count;

    public bool Any => _issues.Count > 0;

    public void Start(long line)
    {
        Line = line;
        _issues.Clear();
    }

    public void Add(string field, string reason) => _issues.Add(new ImportIssue(Line, field, reason));

    public ImportIssue[] ToArray() => [.. _issues];
}
