using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>
/// Splits a dataset without leakage. Within each stratum the units (groups, or single items) are put in a seeded order
/// that depends only on the seed and the unit's key, largest groups first; each goes to the split furthest below its
/// share of the stratum. With single items this meets every split's share exactly (largest remainder, so within one
/// item); with groups as closely as whole groups allow.
/// </summary>
public static class DatasetSplitter
{
    public const string MissingStratum = "";

    public static CurationResult Run(IReadOnlyList<CurationItem> items, SplitParameters parameters)
    {
        parameters.EnsureValid();
        var ratios = parameters.EffectiveRatios.InSplitOrder;
        var units = Units(items, parameters);
        var splitOf = new string[items.Count];
        var groupsAcrossStrata = units.Count(u => u.SpansStrata);

        foreach (var stratum in units.GroupBy(u => u.Stratum, StringComparer.Ordinal).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var targets = LargestRemainder.Apportion(stratum.Sum(u => u.Members.Count), ratios);
            var filled = new int[targets.Length];
            foreach (var unit in stratum.OrderByDescending(u => u.Members.Count).ThenBy(u => u.Order))
            {
                var split = Enumerable.Range(0, targets.Length).Where(s => ratios[s] > 0).MaxBy(s => targets[s] - filled[s]);
                filled[split] += unit.Members.Count;
                foreach (var member in unit.Members)
                {
                    splitOf[member] = DatasetSplits.All[split];
                }
            }
        }

        var result = new CurationResultBuilder(parameters.Operation, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            result.Keep(items[i].Split == splitOf[i] ? items[i] : items[i] with { Split = splitOf[i] });
        }

        foreach (var split in DatasetSplits.All)
        {
            result.SetTally(split, splitOf.Count(s => s == split));
        }

        result.SetTally("units", units.Count);
        result.SetTally("strata", units.Select(u => u.Stratum).Distinct(StringComparer.Ordinal).Count());
        if (parameters.GroupBy is not null && parameters.StratifyBy is not null)
        {
            result.SetTally("groups_spanning_strata", groupsAcrossStrata);
        }

        return result.Build();
    }

    /// <summary>
    /// A group, or an item on its own. A group whose items disagree on the stratum goes with the stratum of its lowest
    /// id: keeping the group whole is what prevents leakage; the stratum is only a preference.
    /// </summary>
    private sealed record Unit(ulong Order, string Stratum, List<int> Members, bool SpansStrata);

    private static List<Unit> Units(IReadOnlyList<CurationItem> items, SplitParameters parameters)
    {
        var byId = Enumerable.Range(0, items.Count).OrderBy(i => items[i].Id).ThenBy(i => i);
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var units = new List<Unit>();
        foreach (var i in byId)
        {
            var group = parameters.GroupBy is null ? null : items[i].Record.Metadata.GetValueOrDefault(parameters.GroupBy);
            if (string.IsNullOrWhiteSpace(group))
            {
                units.Add(new Unit(StableHash.Of(parameters.Seed, items[i].Id), Stratum(items[i], parameters), [i], false));
            }
            else if (groups.TryGetValue(group, out var members))
            {
                members.Add(i);
            }
            else
            {
                groups[group] = [i];
            }
        }

        foreach (var (key, members) in groups)
        {
            var stratum = Stratum(items[members[0]], parameters);
            var spans = members.Any(m => Stratum(items[m], parameters) != stratum);
            units.Add(new Unit(StableHash.Of(parameters.Seed, "group:" + key), stratum, members, spans));
        }

        return units;
    }

    private static string Stratum(CurationItem item, SplitParameters parameters) =>
        parameters.StratifyBy is null ? MissingStratum : item.Record.Metadata.GetValueOrDefault(parameters.StratifyBy) ?? MissingStratum;
}
