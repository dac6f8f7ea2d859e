using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>Removes training items that repeat an evaluation example, so evaluation scores measure generalisation.</summary>
public static class Decontamination
{
    public static CurationResult Run(
        IReadOnlyList<CurationItem> items,
        DecontaminationParameters parameters,
        IReadOnlyList<ExampleRecord>? evaluationRecords = null,
        int maxDegreeOfParallelism = -1)
    {
        parameters.EnsureValid();
        var evaluation = items
            .Where(i => i.Split == parameters.EvaluationSplit)
            .Select(i => new Reference(i.Record, i.Id, null))
            .Concat((evaluationRecords ?? []).Select((record, index) => new Reference(record, null, index)))
            .ToArray();
        var targetSplits = parameters.EffectiveTargetSplits.ToHashSet(StringComparer.Ordinal);
        var targets = Enumerable.Range(0, items.Count).Where(i => targetSplits.Contains(items[i].Split)).ToArray();

        var sketcher = new MinHashSketcher(parameters.Sketch);
        var evaluationSignatures = sketcher.SignAll(evaluation.Select(e => e.Record).ToArray(), maxDegreeOfParallelism);
        var targetSignatures = sketcher.SignAll(targets.Select(i => items[i].Record).ToArray(), maxDegreeOfParallelism);
        var banding = LshBanding.Tune(parameters.Threshold, parameters.Permutations);
        var index = BuildIndex(evaluationSignatures, banding);
        var verifier = new PairVerifier(sketcher, parameters.Threshold, NearDuplicateVerification.Exact);
        var ngrams = parameters.NgramOverlap ? EvaluationNgrams(evaluation, parameters) : null;

        var verdicts = new Dictionary<int, CurationRemoval>();
        long nearDuplicates = 0, overlaps = 0;
        for (var t = 0; t < targets.Length; t++)
        {
            var item = items[targets[t]];
            var match = targetSignatures.Present[t] ? NearestMatch(item.Record, targetSignatures.Of(t), evaluation, evaluationSignatures, banding, index, verifier) : null;
            var overlap = ngrams is not null && WordNgrams.Hashes(Normalize(item.Record, parameters), parameters.NgramSize).Any(ngrams.Contains);
            nearDuplicates += match is null ? 0 : 1;
            overlaps += overlap ? 1 : 0;
            if (match is not null)
            {
                verdicts[targets[t]] = new CurationRemoval(item.Id, CurationReasons.EvaluationNearDuplicate, match.ItemId, match.Describe());
            }
            else if (overlap)
            {
                verdicts[targets[t]] = new CurationRemoval(item.Id, CurationReasons.EvaluationNgramOverlap, Detail: $"shares a {parameters.NgramSize}-word sequence with an evaluation example");
            }
        }

        var result = new CurationResultBuilder(parameters.Operation, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (verdicts.TryGetValue(i, out var removal))
            {
                result.Remove(removal);
            }
            else
            {
                result.Keep(items[i]);
            }
        }

        result.SetTally("evaluation_examples", evaluation.Length);
        result.SetTally("checked_examples", targets.Length);
        result.SetTally("matched_near_duplicate", nearDuplicates);
        if (ngrams is not null)
        {
            result.SetTally("matched_ngram_overlap", overlaps);
        }

        return result.Build();
    }

    /// <summary>An evaluation example: an item of the dataset's evaluation split, or the n-th record given separately.</summary>
    private sealed record Reference(ExampleRecord Record, long? ItemId, int? RecordIndex)
    {
        public string Describe() => ItemId is { } id ? $"near duplicate of evaluation item {id}" : $"near duplicate of evaluation record {RecordIndex}";
    }

    /// <summary>The first evaluation example (in evaluation order) that the item is a verified near duplicate of.</summary>
    private static Reference? NearestMatch(
        ExampleRecord record,
        ReadOnlySpan<uint> signature,
        Reference[] evaluation,
        MinHashSignatures evaluationSignatures,
        LshBanding banding,
        Dictionary<ulong, List<int>>[] index,
        PairVerifier verifier)
    {
        var candidates = new SortedSet<int>();
        for (var band = 0; band < banding.Bands; band++)
        {
            if (index[band].TryGetValue(banding.BandKey(signature, band), out var bucket))
            {
                candidates.UnionWith(bucket);
            }
        }

        foreach (var candidate in candidates)
        {
            if (verifier.AreNearDuplicates(record, signature, evaluation[candidate].Record, evaluationSignatures.Of(candidate)))
            {
                return evaluation[candidate];
            }
        }

        return null;
    }

    private static Dictionary<ulong, List<int>>[] BuildIndex(MinHashSignatures signatures, LshBanding banding)
    {
        var index = new Dictionary<ulong, List<int>>[banding.Bands];
        for (var band = 0; band < banding.Bands; band++)
        {
            index[band] = [];
            for (var i = 0; i < signatures.Count; i++)
            {
                if (signatures.Present[i])
                {
                    var key = banding.BandKey(signatures.Of(i), band);
                    if (!index[band].TryGetValue(key, out var bucket))
                    {
                        index[band][key] = bucket = [];
                    }

                    bucket.Add(i);
                }
            }
        }

        return index;
    }

    private static HashSet<ulong> EvaluationNgrams(IEnumerable<Reference> evaluation, DecontaminationParameters parameters) =>
        evaluation.SelectMany(e => WordNgrams.Hashes(Normalize(e.Record, parameters), parameters.NgramSize)).ToHashSet();

    private static string Normalize(ExampleRecord record, DecontaminationParameters parameters) =>
        NearDuplicateText.Normalize(record, parameters.Scope, parameters.IncludeSystemMessages);
}
