namespace Distill.Core.Curation;

/// <summary>
/// Whole counts that add up exactly to a total and are each within one of their exact share (Hamilton's method):
/// rounding every share on its own can lose or invent an example.
/// </summary>
internal static class LargestRemainder
{
    public static int[] Apportion(int total, IReadOnlyList<double> weights)
    {
        var sum = weights.Sum();
        var counts = new int[weights.Count];
        if (total == 0 || sum <= 0)
        {
            return counts;
        }

        var remainders = new double[weights.Count];
        var assigned = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var share = total * weights[i] / sum;
            counts[i] = (int)Math.Floor(share);
            remainders[i] = share - counts[i];
            assigned += counts[i];
        }

        // Ties go to the earlier weight, so the result is the same on every run.
        foreach (var i in Enumerable.Range(0, weights.Count).Where(i => weights[i] > 0).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(total - assigned))
        {
            counts[i]++;
        }

        return counts;
    }
}
