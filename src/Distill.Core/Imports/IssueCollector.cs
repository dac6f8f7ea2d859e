namespace Distill.Core.Imports;

/// <summary>
/// Gathers every issue of the record being read, so a user fixes a line once rather than once per error. One instance
/// serves a whole import: accepted records, the common case, allocate nothing here. Past
/// <see cref="MaxIssuesPerRecord"/> issues are only counted, so an 8 MiB line of ten thousand broken messages cannot
/// turn into a gigabyte of messages; the count is reported as a last issue.
/// </summary>
internal sealed class IssueCollector
{
    public const int MaxIssuesPerRecord = 100;

    private readonly List<ImportIssue> _issues = [];
    private int _uncounted;

    public long Line { get; private set; }

    /// <summary>Every issue found, kept or not, so "did this step find anything" stays true past the cap.</summary>
    public int Count => _issues.Count + _uncounted;

    public bool Any => Count > 0;

    public void Start(long line)
    {
        Line = line;
        _issues.Clear();
        _uncounted = 0;
    }

    public void Add(string field, string reason)
    {
        if (_issues.Count < MaxIssuesPerRecord)
        {
            _issues.Add(new ImportIssue(Line, field, reason));
        }
        else
        {
            _uncounted++;
        }
    }

    public ImportIssue[] ToArray() =>
        _uncounted == 0 ? [.. _issues] : [.. _issues, new ImportIssue(Line, "", $"and {_uncounted} more issues in this line")];
}
