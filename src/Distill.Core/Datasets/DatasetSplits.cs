namespace Distill.Core.Datasets;

/// <summary>The splits a DatasetVersion can hold; an example is in exactly one.</summary>
public static class DatasetSplits
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";

    public static IReadOnlyList<string> All { get; } = [Train, Validation, Test];
}
