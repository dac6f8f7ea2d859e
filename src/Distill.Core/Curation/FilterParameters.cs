using System.Text.Json.Serialization;

namespace Distill.Core.Curation;

[JsonConverter(typeof(JsonStringEnumConverter<MetadataMatch>))]
public enum MetadataMatch
{
    /// <summary>The key is present and its value is one of the values.</summary>
    In,

    /// <summary>The key is present, whatever its value.</summary>
    Exists,

    /// <summary>The key is not present.</summary>
    Absent,
}

[JsonConverter(typeof(JsonStringEnumConverter<LengthUnit>))]
public enum LengthUnit
{
    /// <summary>Unicode characters (a character outside the Basic Multilingual Plane counts once).</summary>
    Characters,

    /// <summary>The item's stored token counts, or a token counter given to the run.</summary>
    Tokens,
}

public sealed record MetadataCondition(string Key, MetadataMatch Match = MetadataMatch.In, IReadOnlyList<string>? Values = null)
{
    public string Describe() => Match switch
    {
        MetadataMatch.In => $"{Key} in [{string.Join(", ", Values ?? [])}]",
        MetadataMatch.Exists => $"{Key} exists",
        _ => $"{Key} absent",
    };
}

/// <summary>Bounds are inclusive.</summary>
public sealed record LengthCondition(TextScope Scope = TextScope.Example, LengthUnit Unit = LengthUnit.Characters, int? Min = null, int? Max = null);

/// <summary><see cref="From"/> is inclusive and <see cref="To"/> exclusive, so consecutive ranges never share an item. UTC.</summary>
public sealed record DateRangeCondition(DateTime? From = null, DateTime? To = null);

/// <summary>A numeric metadata value (a judge's score, a reward) within inclusive bounds.</summary>
public sealed record ScoreCondition(string Key, double? Min = null, double? Max = null);

/// <summary>
/// Keeps the items that meet every condition given. An item is removed for the first condition it fails, in the order
/// metadata, created-at, length, score; an item whose score is missing or not a number is removed under its own reason,
/// so a typo in a score key shows up as "score-missing" for every item rather than as a silent empty dataset.
/// </summary>
public sealed record FilterParameters(
    IReadOnlyList<MetadataCondition>? Metadata = null,
    DateRangeCondition? CreatedAt = null,
    IReadOnlyList<LengthCondition>? Lengths = null,
    IReadOnlyList<ScoreCondition>? Scores = null) : ICurationParameters
{
    [JsonIgnore]
    public string Operation => CurationOperations.Filter;

    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new ValidationErrors();
        errors.AddIf(Metadata is not { Count: > 0 } && CreatedAt is null && Lengths is not { Count: > 0 } && Scores is not { Count: > 0 }, "conditions", "give at least one condition");
        foreach (var (condition, i) in (Metadata ?? []).Select((c, i) => (c, i)))
        {
            var field = $"metadata[{i}]";
            errors.AddIf(string.IsNullOrWhiteSpace(condition.Key), field, "key must not be empty");
            errors.AddIf(!Enum.IsDefined(condition.Match), field, $"match must be In, Exists or Absent, not {condition.Match}");
            errors.AddIf(condition.Match == MetadataMatch.In && condition.Values is not { Count: > 0 }, field, "In needs at least one value");
            errors.AddIf(condition.Match != MetadataMatch.In && condition.Values is { Count: > 0 }, field, $"{condition.Match} takes no values");
        }

        if (CreatedAt is { } range)
        {
            errors.AddIf(range.From is null && range.To is null, "createdAt", "give from, to or both");
            errors.AddIf(range.From >= range.To, "createdAt", $"from ({range.From:O}) must be before to ({range.To:O})");
        }

        foreach (var (condition, i) in (Lengths ?? []).Select((c, i) => (c, i)))
        {
            var field = $"lengths[{i}]";
            errors.AddIf(!Enum.IsDefined(condition.Scope), field, $"scope must be Example, Prompt or Completion, not {condition.Scope}");
            errors.AddIf(!Enum.IsDefined(condition.Unit), field, $"unit must be Characters or Tokens, not {condition.Unit}");
            errors.AddIf(condition.Min is null && condition.Max is null, field, "give min, max or both");
            errors.AddIf(condition.Min < 0 || condition.Max < 0, field, "bounds must not be negative");
            errors.AddIf(condition.Min > condition.Max, field, $"min ({condition.Min}) must not exceed max ({condition.Max})");
        }

        foreach (var (condition, i) in (Scores ?? []).Select((c, i) => (c, i)))
        {
            var field = $"scores[{i}]";
            errors.AddIf(string.IsNullOrWhiteSpace(condition.Key), field, "key must not be empty");
            errors.AddIf(condition.Min is null && condition.Max is null, field, "give min, max or both");
            errors.AddIf(condition.Min is { } min && !double.IsFinite(min) || condition.Max is { } max && !double.IsFinite(max), field, "bounds must be finite numbers");
            errors.AddIf(condition.Min > condition.Max, field, $"min ({condition.Min}) must not exceed max ({condition.Max})");
        }

        return errors.ToDictionary();
    }
}
