namespace Distill.Core.Curation;

/// <summary>
/// Locality-sensitive hashing over MinHash signatures: the signature is cut into bands of rows, and two examples become
/// a candidate pair when all rows of some band agree, which happens with probability 1 - (1 - s^rows)^bands for
/// Jaccard similarity s.
/// </summary>
public sealed record LshBanding(int Bands, int Rows)
{
    /// <summary>The chance that a pair exactly at the threshold is proposed at all; candidates are verified afterwards.</summary>
    public const double RecallAtThreshold = 0.99;

    /// <summary>
    /// The longest bands (fewest dissimilar candidates) that still propose a pair at the threshold with probability
    /// <see cref="RecallAtThreshold"/>. Datasketch's default instead balances false positives against false negatives,
    /// which at 0.95 lets a third of the pairs at the threshold go unseen; since every candidate is verified, a false
    /// candidate costs a comparison while a missed one is a duplicate left in the data.
    /// </summary>
    public static LshBanding Tune(double threshold, int permutations)
    {
        var best = new LshBanding(permutations, 1);
        for (var rows = 1; rows <= permutations; rows++)
        {
            var banding = new LshBanding(permutations / rows, rows);
            if (banding.CandidateProbability(threshold) >= RecallAtThreshold)
            {
                best = banding;
            }
        }

        return best;
    }

    public double CandidateProbability(double similarity) => 1 - Math.Pow(1 - Math.Pow(similarity, Rows), Bands);

    /// <summary>The bucket of one band of a signature; the band index is mixed in so equal rows in different bands never meet.</summary>
    public ulong BandKey(ReadOnlySpan<uint> signature, int band)
    {
        var key = StableHash.Mix((ulong)band + 0x9e3779b97f4a7c15);
        foreach (var value in signature.Slice(band * Rows, Rows))
        {
            key = StableHash.Mix(key ^ value) + 0x9e3779b97f4a7c15;
        }

        return key;
    }
}
