namespace Distill.Core.Imports;

/// <summary>
/// Which CSV columns become what. Columns are named as the header row spells them (surrounding spaces ignored), so a
/// reordered export still imports the same way.
/// </summary>
public sealed record CsvImportOptions(string PromptColumn)
{
    public char Delimiter { get; init; } = ',';

    /// <summary>Absent for prompt-only data that a teacher will answer later.</summary>
    public string? CompletionColumn { get; init; }

    public string? SystemColumn { get; init; }

    /// <summary>Copied into the example's metadata under the column's name; an empty cell adds no key.</summary>
    public IReadOnlyList<string> MetadataColumns { get; init; } = [];
}
