namespace Distill.Trainer.Tests.Tokenization;

/// <summary>Learns merge rules the textbook way: repeatedly join the most frequent adjacent pair of symbols.</summary>
internal static class BpeTrainer
{
    /// <param name="words">Each word as its initial symbols, with how often it occurs.</param>
    public static List<(string Left, string Right)> Learn(IEnumerable<(List<string> Symbols, int Count)> words, int maxMerges)
    {
        var corpus = words.Select(w => (Symbols: new List<string>(w.Symbols), w.Count)).ToList();
        var merges = new List<(string, string)>();
        while (merges.Count < maxMerges)
        {
            var pairs = new Dictionary<(string, string), int>();
            foreach (var (symbols, count) in corpus)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
                }
            }

            // Pairs seen once are merged too, so the small corpus still yields a few hundred rules.
            if (pairs.Count == 0)
            {
                break;
            }

            // Ties broken by spelling so the fixture is the same on every run.
            var best = pairs
                .OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key.Item1 + "\u0001" + p.Key.Item2, StringComparer.Ordinal)
                .First();
            merges.Add(best.Key);
            foreach (var (symbols, _) in corpus)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] == best.Key.Item1 && symbols[i + 1] == best.Key.Item2)
                    {
                        symbols[i] += symbols[i + 1];
                        symbols.RemoveAt(i + 1);
                    }
                }
            }
        }

        return merges;
    }
}
