namespace Distill.Core.Datasets;

/// <summary>What the browse pane narrows a version to: words to search, a split, metadata values, a token range.</summary>
public sealed record ExampleFilter(
    string? Search = null,
    string? Split = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    int? MinTokens = null,
    int? MaxTokens = null)
{
    /// <summary>
    /// The search as a tsquery: each word must appear, as a prefix, so "refun" finds "refunds". Only letters and
    /// digits reach Postgres, so no user text can be tsquery syntax. Null when there is nothing to search for.
    /// </summary>
    public string? TsQuery()
    {
        if (string.IsNullOrWhiteSpace(Search))
        {
            return null;
        }

        var words = Search.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant())
            .Where(w => w.Length > 0)
            .Distinct()
            .Take(16)
            .Select(w => w + ":*")
            .ToArray();
        return words.Length == 0 ? null : string.Join(" & ", words);
    }
}
