namespace Distill.Core.Curation;

/// <summary>
/// Keeps the items with the smallest seeded hashes of their ids (per stratum): the same seed gives the same sample in
/// any row order, and without strata a larger sample with the same seed contains the smaller one.
/// </summary>
public static class Sampler
{
    public static CurationResult Run(IReadOnlyList<CurationItem> items, SampleParameters parameters)
    {
        parameters.EnsureValid();
        var strata = Enumerable.Range(0, items.Count)
            .GroupBy(i => parameters.StratifyBy is null ? "" : items[i].Record.Metadata.GetValueOrDefault(parameters.StratifyBy) ?? "", StringComparer.Ordinal)
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .ToArray();
        var wanted = parameters.Count is { } count ? Math.Min(count, items.Count) : (int)Math.Round(parameters.Fraction!.Value * items.Count, MidpointRounding.AwayFromZero);
        var quotas = LargestRemainder.Apportion(wanted, strata.Select(s => (double)s.Count()).ToArray());

        var sampled = new HashSet<int>();
        for (var s = 0; s < strata.Length; s++)
        {
            sampled.UnionWith(strata[s].OrderBy(i => StableHash.Of(parameters.Seed, items[i].Id)).ThenBy(i => items[i].Id).Take(quotas[s]));
        }

        var result = new CurationResultBuilder(parameters.Operation, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (sampled.Contains(i))
            {
                result.Keep(items[i]);
            }
            else
            {
                result.Remove(new CurationRemoval(items[i].Id, CurationReasons.NotSampled));
            }
        }

        result.SetTally("requested", parameters.Count ?? wanted);
        result.SetTally("strata", strata.Length);
        return result.Build();
    }
}
