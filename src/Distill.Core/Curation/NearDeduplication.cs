using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>
/// Removes near duplicates: MinHash signatures, LSH banding tuned to the threshold, verified candidate pairs, clusters
/// by union-find (a chain of near duplicates is one cluster), and the lowest id of each cluster kept.
/// </summary>
public static class NearDeduplication
{
    /// <summary>The text shingles are cut from, for looking at what the comparison sees.</summary>
    public static string NormalizedText(ExampleRecord record, NearDedupParameters? parameters = null)
    {
        var sketch = (parameters ?? new NearDedupParameters()).Sketch;
        return NearDuplicateText.Normalize(record, sketch.Scope, sketch.IncludeSystemMessages);
    }

    /// <summary>The true Jaccard similarity of two examples' shingle sets: what the threshold is compared with.</summary>
    public static double Similarity(ExampleRecord a, ExampleRecord b, NearDedupParameters? parameters = null)
    {
        var sketcher = new MinHashSketcher((parameters ?? new NearDedupParameters()).Sketch);
        return MinHashSketcher.Jaccard(sketcher.ShingleSet(a), sketcher.ShingleSet(b));
    }

    /// <summary>The similarity as the signatures estimate it.</summary>
    public static double EstimatedSimilarity(ExampleRecord a, ExampleRecord b, NearDedupParameters? parameters = null)
    {
        var sketcher = new MinHashSketcher((parameters ?? new NearDedupParameters()).Sketch);
        var signatures = sketcher.SignAll([a, b], 1);
        return signatures.Present[0] && signatures.Present[1] ? MinHashSketcher.Estimate(signatures.Of(0), signatures.Of(1)) : 0;
    }

    public static CurationResult Run(IReadOnlyList<CurationItem> items, NearDedupParameters parameters, int maxDegreeOfParallelism = -1)
    {
        parameters.EnsureValid();

        // Positions in id order: union-find roots are the smallest position, so the root is the lowest id.
        var byId = Enumerable.Range(0, items.Count).OrderBy(i => items[i].Id).ThenBy(i => i).ToArray();
        var records = byId.Select(i => items[i].Record).ToArray();
        var sketcher = new MinHashSketcher(parameters.Sketch);
        var signatures = sketcher.SignAll(records, maxDegreeOfParallelism);
        var banding = LshBanding.Tune(parameters.Threshold, parameters.Permutations);
        var verifier = new PairVerifier(sketcher, parameters.Threshold, parameters.Verification);
        var clusters = new UnionFind(records.Length);
        var rejected = new HashSet<long>();
        long candidates = 0;

        foreach (var bucket in Buckets(signatures, banding))
        {
            for (var x = 0; x < bucket.Length; x++)
            {
                for (var y = x + 1; y < bucket.Length; y++)
                {
                    var (a, b) = (bucket[x], bucket[y]);
                    candidates++;
                    var pair = (long)a * records.Length + b;
                    if (clusters.Find(a) == clusters.Find(b) || rejected.Contains(pair))
                    {
                        continue;
                    }

                    if (verifier.AreNearDuplicates(records[a], signatures.Of(a), records[b], signatures.Of(b)))
                    {
                        clusters.Union(a, b);
                    }
                    else
                    {
                        rejected.Add(pair);
                    }
                }
            }
        }

        var keptPosition = new int[items.Count];
        for (var position = 0; position < byId.Length; position++)
        {
            keptPosition[byId[position]] = clusters.Find(position);
        }

        var result = new CurationResultBuilder(parameters.Operation, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var kept = byId[keptPosition[i]];
            if (kept == i)
            {
                result.Keep(items[i]);
            }
            else
            {
                result.Remove(new CurationRemoval(items[i].Id, CurationReasons.NearDuplicate, items[kept].Id));
            }
        }

        result.SetTally("lsh_bands", banding.Bands);
        result.SetTally("lsh_rows", banding.Rows);
        result.SetTally("candidate_pairs", candidates);
        result.SetTally("compared_pairs", verifier.Compared);
        result.SetTally("compared_exactly", verifier.ComparedExactly);
        result.SetTally("without_text", signatures.Present.Count(p => !p));
        return result.Build();
    }

    /// <summary>
    /// The positions sharing a band key, ascending, for every band: sorting keys rather than hashing them keeps memory
    /// flat and the order of comparisons, and so the tallies, the same on every run.
    /// </summary>
    private static IEnumerable<int[]> Buckets(MinHashSignatures signatures, LshBanding banding)
    {
        var present = Enumerable.Range(0, signatures.Count).Where(i => signatures.Present[i]).ToArray();
        var keys = new ulong[present.Length];
        var positions = new int[present.Length];
        for (var band = 0; band < banding.Bands; band++)
        {
            for (var i = 0; i < present.Length; i++)
            {
                keys[i] = banding.BandKey(signatures.Of(present[i]), band);
                positions[i] = present[i];
            }

            Array.Sort(keys, positions);
            for (var start = 0; start < keys.Length;)
            {
                var end = start + 1;
                while (end < keys.Length && keys[end] == keys[start])
                {
                    end++;
                }

                if (end - start > 1)
                {
                    var bucket = positions[start..end];
                    Array.Sort(bucket);
                    yield return bucket;
                }

                start = end;
            }
        }
    }
}
