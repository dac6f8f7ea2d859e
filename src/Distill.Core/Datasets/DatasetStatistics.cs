namespace Distill.Core.Datasets;

/// <summary>What the dataset page charts for a version: sizes, token lengths and metadata values.</summary>
public sealed record DatasetStatistics(
    long Examples,
    IReadOnlyDictionary<string, long> SplitSizes,
    long Tokens,
    decimal Cost,
    IReadOnlyList<TokenLengthBucket> TokenLengths,
    IReadOnlyList<MetadataKeyStatistics> Metadata);

/// <summary>Examples whose prompt + completion tokens are in [From, To).</summary>
public sealed record TokenLengthBucket(long From, long To, long Count);

/// <summary>A metadata key: how many distinct values, how many examples carry it, and its most common values.</summary>
public sealed record MetadataKeyStatistics(string Key, int DistinctValues, long Examples, IReadOnlyList<MetadataValueStatistics> TopValues);

public sealed record MetadataValueStatistics(string Value, long Count);
