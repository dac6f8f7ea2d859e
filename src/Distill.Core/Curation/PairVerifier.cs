using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>
/// Confirms LSH candidates. A pair whose signatures agree far less than the threshold (4.5 standard deviations of the
/// estimate) is rejected without building shingle sets; the rest are decided on their true Jaccard similarity, or on
/// the estimate when that was asked for.
/// </summary>
internal sealed class PairVerifier
{
    private readonly MinHashSketcher sketcher;
    private readonly double threshold;
    private readonly double estimateFloor;
    private readonly NearDuplicateVerification verification;
    private readonly Dictionary<ExampleRecord, ulong[]> shingleSets = new(ReferenceEqualityComparer.Instance);

    public PairVerifier(MinHashSketcher sketcher, double threshold, NearDuplicateVerification verification)
    {
        this.sketcher = sketcher;
        this.threshold = threshold;
        this.verification = verification;
        estimateFloor = threshold - 4.5 * Math.Sqrt(threshold * (1 - threshold) / sketcher.Permutations) - 1.0 / sketcher.Permutations;
    }

    public int Compared { get; private set; }

    public int ComparedExactly { get; private set; }

    public bool AreNearDuplicates(ExampleRecord a, ReadOnlySpan<uint> signatureA, ExampleRecord b, ReadOnlySpan<uint> signatureB)
    {
        Compared++;
        var estimate = MinHashSketcher.Estimate(signatureA, signatureB);
        if (verification == NearDuplicateVerification.Estimated)
        {
            return estimate >= threshold;
        }

        if (estimate < estimateFloor)
        {
            return false;
        }

        ComparedExactly++;
        return MinHashSketcher.Jaccard(ShingleSet(a), ShingleSet(b)) >= threshold;
    }

    private ulong[] ShingleSet(ExampleRecord record)
    {
        if (!shingleSets.TryGetValue(record, out var set))
        {
            shingleSets[record] = set = sketcher.ShingleSet(record);
        }

        return set;
    }
}
