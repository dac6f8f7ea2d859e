namespace Distill.Core.Curation;

/// <summary>Hashes of every run of n consecutive words of a normalised text; a text shorter than n words has none.</summary>
internal static class WordNgrams
{
    public static IEnumerable<ulong> Hashes(string normalized, int n)
    {
        var words = NearDuplicateText.Words(normalized.AsMemory()).Select(w => StableHash.Of(0, w.Span)).ToArray();
        for (var start = 0; start + n <= words.Length; start++)
        {
            var hash = (ulong)n;
            for (var i = start; i < start + n; i++)
            {
                hash = StableHash.Mix(hash ^ words[i]) + 0x9e3779b97f4a7c15;
            }

            yield return hash;
        }
    }
}
