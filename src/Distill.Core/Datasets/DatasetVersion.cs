namespace Distill.Core.Datasets;

public enum DatasetVersionStatus
{
    /// <summary>A job is writing its examples; nobody may read it as data yet.</summary>
    Building,

    /// <summary>Complete and immutable: its examples, hash and files never change again.</summary>
    Ready,

    Failed,
}

/// <summary>
/// An immutable, content-hashed snapshot of a dataset, made by exactly one operation from its parent (or from an
/// import, a capture snapshot or a teacher generation). Its lineage is the chain of parents with each step's
/// operation, parameters and counts.
/// </summary>
public sealed class DatasetVersion
{
    public Guid Id { get; init; }

    public Guid DatasetId { get; init; }

    /// <summary>1, 2, 3… within the dataset, in creation order.</summary>
    public int Number { get; init; }

    public Guid? ParentId { get; init; }

    /// <summary>One of <see cref="DatasetOperations"/>.</summary>
    public required string Operation { get; init; }

    /// <summary>The operation's parameters as JSON, exactly as it ran.</summary>
    public required string Parameters { get; init; }

    /// <summary>The job that builds this version; re-running that job resumes into the same version.</summary>
    public Guid? JobId { get; init; }

    public DatasetVersionStatus Status { get; set; }

    public long? CountBefore { get; set; }

    public long CountAfter { get; set; }

    /// <summary>What the operation did beyond the counts (removed per reason, redactions per type, split sizes) as JSON.</summary>
    public string? Report { get; set; }

    /// <summary>sha256 over the canonical JSONL of every example in (split, ordinal) order; set when Ready.</summary>
    public string? ContentHash { get; set; }

    /// <summary>Counts, token histograms, split sizes and metadata values, computed once when the version is Ready.</summary>
    public string? Statistics { get; set; }

    public string? Error { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? CompletedAt { get; set; }

    /// <summary>The blob, in <see cref="DatasetBlobs.Container"/>, holding one split as JSONL.</summary>
    public string SplitBlobName(string split) => $"{DatasetId}/{Id}/{split}.jsonl";
}
