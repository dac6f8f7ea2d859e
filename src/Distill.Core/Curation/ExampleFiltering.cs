using System.Globalization;
using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>Keeps the items that meet every condition of a <see cref="FilterParameters"/>.</summary>
public static class ExampleFiltering
{
    /// <param name="countTokens">
    /// Counts the tokens of a record (the scoped part of an example, see <see cref="ExampleText.Scoped"/>); token lengths
    /// use an item's stored counts when it has them, so this is only asked about items without.
    /// </param>
    public static CurationResult Run(IReadOnlyList<CurationItem> items, FilterParameters parameters, Func<ExampleRecord, int>? countTokens = null)
    {
        parameters.EnsureValid();
        var result = new CurationResultBuilder(parameters.Operation, items.Count);
        foreach (var item in items)
        {
            if (FirstFailure(item, parameters, countTokens) is { } removal)
            {
                result.Remove(removal);
            }
            else
            {
                result.Keep(item);
            }
        }

        return result.Build();
    }

    private static CurationRemoval? FirstFailure(CurationItem item, FilterParameters parameters, Func<ExampleRecord, int>? countTokens)
    {
        foreach (var condition in parameters.Metadata ?? [])
        {
            var present = item.Record.Metadata.TryGetValue(condition.Key, out var value);
            var met = condition.Match switch
            {
                MetadataMatch.In => present && condition.Values!.Contains(value, StringComparer.Ordinal),
                MetadataMatch.Exists => present,
                _ => !present,
            };
            if (!met)
            {
                return new CurationRemoval(item.Id, CurationReasons.Metadata, Detail: $"not {condition.Describe()}");
            }
        }

        if (parameters.CreatedAt is { } range && (item.CreatedAt < range.From || item.CreatedAt >= range.To))
        {
            return new CurationRemoval(item.Id, CurationReasons.CreatedAt, Detail: $"created {item.CreatedAt:O}");
        }

        foreach (var condition in parameters.Lengths ?? [])
        {
            var length = Length(item, condition, countTokens);
            if (length < condition.Min || length > condition.Max)
            {
                return new CurationRemoval(item.Id, CurationReasons.Length, Detail: $"{condition.Scope} has {length} {condition.Unit.ToString().ToLowerInvariant()}");
            }
        }

        foreach (var condition in parameters.Scores ?? [])
        {
            if (!item.Record.Metadata.TryGetValue(condition.Key, out var text))
            {
                return new CurationRemoval(item.Id, CurationReasons.ScoreMissing, Detail: $"no {condition.Key}");
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
            {
                return new CurationRemoval(item.Id, CurationReasons.ScoreNotNumeric, Detail: $"{condition.Key} is '{text}'");
            }

            if (score < condition.Min || score > condition.Max)
            {
                return new CurationRemoval(item.Id, CurationReasons.ScoreOutOfRange, Detail: $"{condition.Key} is {score.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        return null;
    }

    private static int Length(CurationItem item, LengthCondition condition, Func<ExampleRecord, int>? countTokens)
    {
        if (condition.Unit == LengthUnit.Characters)
        {
            return ExampleText.Pieces(item.Record, condition.Scope).Sum(CountRunes);
        }

        if (item.Tokens is { } stored)
        {
            return condition.Scope switch
            {
                TextScope.Prompt => stored.Prompt,
                TextScope.Completion => stored.Completion,
                _ => stored.Example,
            };
        }

        return countTokens is not null
            ? countTokens(ExampleText.Scoped(item.Record, condition.Scope))
            : throw new InvalidOperationException($"Item {item.Id} has no stored token counts and no token counter was given; a token length filter needs one of them.");
    }

    private static int CountRunes(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
