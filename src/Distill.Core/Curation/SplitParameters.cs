using System.Text.Json.Serialization;
using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>The share of examples each split gets.</summary>
public sealed record SplitRatios(double Train = 0.8, double Validation = 0.1, double Test = 0.1)
{
    /// <summary>How far from 1 the sum may be: 0.7 + 0.2 + 0.1 is not exactly 1 in binary floating point.</summary>
    public const double Tolerance = 1e-9;

    [JsonIgnore]
    public IReadOnlyList<double> InSplitOrder => [Train, Validation, Test];
}

/// <summary>
/// Assigns every item to train, validation or test. <see cref="StratifyBy"/> splits each value of a metadata key in the
/// same proportions; <see cref="GroupBy"/> keeps all items with the same value of a metadata key in one split, so that
/// e.g. turns of one conversation or answers to one prompt never end up on both sides. An item without the group key
/// (or with an empty value) is a group of its own; an item without the stratify key is in the stratum of missing values.
/// </summary>
public sealed record SplitParameters(SplitRatios? Ratios = null, long Seed = 0, string? StratifyBy = null, string? GroupBy = null) : ICurationParameters
{
    [JsonIgnore]
    public string Operation => CurationOperations.Split;

    [JsonIgnore]
    public SplitRatios EffectiveRatios => Ratios ?? new SplitRatios();

    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new ValidationErrors();
        var ratios = EffectiveRatios;
        foreach (var (name, ratio) in DatasetSplits.All.Zip(ratios.InSplitOrder))
        {
            errors.AddIf(!(ratio is >= 0 and <= 1), "ratios", $"{name} must be between 0 and 1; got {ratio}");
        }

        var sum = ratios.InSplitOrder.Sum();
        errors.AddIf(Math.Abs(sum - 1) > SplitRatios.Tolerance, "ratios", $"ratios must sum to 1; got {sum:0.###############}");
        errors.AddIf(StratifyBy is { } s && string.IsNullOrWhiteSpace(s), "stratifyBy", "must be a metadata key, or be left out");
        errors.AddIf(GroupBy is { } g && string.IsNullOrWhiteSpace(g), "groupBy", "must be a metadata key, or be left out");
        return errors.ToDictionary();
    }
}
