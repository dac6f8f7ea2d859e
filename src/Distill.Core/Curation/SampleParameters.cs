using System.Text.Json.Serialization;

namespace Distill.Core.Curation;

/// <summary>
/// A seeded random sample of exactly <see cref="Count"/> items or a <see cref="Fraction"/> of them (one of the two).
/// With <see cref="StratifyBy"/>, each value of that metadata key keeps its share of the sample.
/// </summary>
public sealed record SampleParameters(int? Count = null, double? Fraction = null, long Seed = 0, string? StratifyBy = null) : ICurationParameters
{
    [JsonIgnore]
    public string Operation => CurationOperations.Sample;

    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new ValidationErrors();
        errors.AddIf(Count is null == Fraction is null, "count", "give either count or fraction, not both and not neither");
        errors.AddIf(Count is < 1, "count", $"must be at least 1, not {Count}");
        errors.AddIf(Fraction is { } f && !(f is > 0 and <= 1), "fraction", $"must be greater than 0 and at most 1, not {Fraction}");
        errors.AddIf(StratifyBy is { } s && string.IsNullOrWhiteSpace(s), "stratifyBy", "must be a metadata key, or be left out");
        return errors.ToDictionary();
    }
}
