namespace Distill.Core.Curation;

/// <summary>Accumulates one operation's outcome and derives the lineage counts from it, so they cannot disagree.</summary>
internal sealed class CurationResultBuilder(string operation, int before)
{
    private readonly List<CurationItem> items = new(before);
    private readonly List<CurationRemoval> removed = [];
    private readonly SortedDictionary<string, long> tallies = new(StringComparer.Ordinal);

    public void Keep(CurationItem item) => items.Add(item);

    public void Remove(CurationRemoval removal) => removed.Add(removal);

    public void Tally(string name, long amount = 1) => tallies[name] = tallies.GetValueOrDefault(name) + amount;

    public void SetTally(string name, long value) => tallies[name] = value;

    public CurationResult Build()
    {
        var byReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var removal in removed)
        {
            byReason[removal.Reason] = byReason.GetValueOrDefault(removal.Reason) + 1;
        }

        return new CurationResult(items, removed, new CurationCounts(operation, before, items.Count, byReason, tallies));
    }
}
