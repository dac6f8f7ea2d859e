namespace Distill.Core.Curation;

/// <summary>
/// What an operation made of a DatasetVersion: the items of the new version (input order, records and splits possibly
/// rewritten), the items it dropped and why, and the counts its lineage records.
/// </summary>
public sealed record CurationResult(IReadOnlyList<CurationItem> Items, IReadOnlyList<CurationRemoval> Removed, CurationCounts Counts)
{
    public IEnumerable<long> KeptIds => Items.Select(i => i.Id);
}

/// <summary>
/// One dropped item. <see cref="DuplicateOf"/> names the kept item of its duplicate cluster so a reviewer can compare
/// the two; <see cref="Detail"/> says which condition or evaluation example it failed.
/// </summary>
public sealed record CurationRemoval(long Id, string Reason, long? DuplicateOf = null, string? Detail = null);

/// <summary>
/// The figures stored as lineage. Both dictionaries are ordinally sorted so the stored JSON is the same for the same
/// outcome. <see cref="Tallies"/> holds what an operation counts besides removals (redactions per type, split sizes).
/// </summary>
public sealed record CurationCounts(
    string Operation,
    int Before,
    int After,
    IReadOnlyDictionary<string, int> RemovedByReason,
    IReadOnlyDictionary<string, long> Tallies)
{
    public int Removed => Before - After;
}
