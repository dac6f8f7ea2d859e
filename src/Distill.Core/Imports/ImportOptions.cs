namespace Distill.Core.Imports;

/// <summary>How an upload is read and what a record must satisfy to be accepted.</summary>
public sealed record ImportOptions(ImportFormat Format)
{
    public const int DefaultMaxLineBytes = 8 * 1024 * 1024;

    /// <summary>
    /// A longer line (a CSV record, for CSV) is rejected and skipped without being held in memory, so one runaway line
    /// cannot take the Worker down; the reading buffer never grows past this.
    /// </summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>Records whose <see cref="ITokenEstimator">estimated</see> size exceeds this are rejected; null: no limit.</summary>
    public int? MaxEstimatedTokens { get; init; }

    /// <summary>Training data: every conversation must end with an assistant turn the student can learn from.</summary>
    public bool RequireAssistantReply { get; init; }

    /// <summary>How much of a rejected line the quarantine file keeps: enough to recognise and fix it, bounded.</summary>
    public int ExcerptBytes { get; init; } = 16 * 1024;

    /// <summary>Read size; larger chunks mean fewer reads from a blob stream, smaller ones less idle memory.</summary>
    public int ChunkBytes { get; init; } = 64 * 1024;

    /// <summary>Required when <see cref="Format"/> is <see cref="ImportFormat.Csv"/>.</summary>
    public CsvImportOptions? Csv { get; init; }
}
