using System.Text;

namespace Distill.Core.Curation;

/// <summary>A text with its personal data replaced, and how many of each kind were found.</summary>
public sealed record RedactedText(string Text, IReadOnlyDictionary<PiiKind, int> Counts)
{
    public bool Changed => Counts.Count > 0;
}

/// <summary>Finds personal data with a table of patterns and replaces each finding with its kind's placeholder.</summary>
public sealed class PiiRedactor(IReadOnlyList<PiiPattern> patterns)
{
    private static readonly IReadOnlyDictionary<PiiKind, int> Nothing = new Dictionary<PiiKind, int>();

    public PiiRedactor(IEnumerable<PiiKind> kinds)
        : this(PiiPatterns.Default.Where(p => kinds.Contains(p.Kind)).ToArray())
    {
    }

    public static PiiRedactor Default { get; } = new(PiiPatterns.Default);

    /// <summary>What was found, without overlaps: the earlier pattern of the table wins, then the earlier position.</summary>
    public IReadOnlyList<PiiFinding> Find(string text)
    {
        var candidates = new List<PiiFinding>();
        for (var precedence = 0; precedence < patterns.Count; precedence++)
        {
            var pattern = patterns[precedence];
            if (text.AsSpan().IndexOfAny(pattern.Hints) < 0)
            {
                continue;
            }

            foreach (var match in pattern.Regex.EnumerateMatches(text))
            {
                var value = text.Substring(match.Index, match.Length);
                if (pattern.IsValid?.Invoke(value) ?? true)
                {
                    candidates.Add(new PiiFinding(pattern.Kind, pattern.Name, match.Index, match.Length, precedence));
                }
            }
        }

        var chosen = new List<PiiFinding>();
        foreach (var candidate in candidates.OrderBy(c => c.Precedence).ThenBy(c => c.Start))
        {
            if (!chosen.Any(c => c.Start < candidate.End && candidate.Start < c.End))
            {
                chosen.Add(candidate);
            }
        }

        chosen.Sort((a, b) => a.Start.CompareTo(b.Start));
        return chosen;
    }

    public RedactedText Redact(string text)
    {
        var findings = Find(text);
        if (findings.Count == 0)
        {
            return new RedactedText(text, Nothing);
        }

        var redacted = new StringBuilder(text.Length);
        var counts = new Dictionary<PiiKind, int>();
        var at = 0;
        foreach (var finding in findings)
        {
            redacted.Append(text, at, finding.Start - at).Append(finding.Kind.Placeholder());
            counts[finding.Kind] = counts.GetValueOrDefault(finding.Kind) + 1;
            at = finding.End;
        }

        redacted.Append(text, at, text.Length - at);
        return new RedactedText(redacted.ToString(), counts);
    }
}

/// <summary>One piece of personal data: where it is, what it is, and which pattern found it.</summary>
public sealed record PiiFinding(PiiKind Kind, string Pattern, int Start, int Length, int Precedence)
{
    public int End => Start + Length;
}
