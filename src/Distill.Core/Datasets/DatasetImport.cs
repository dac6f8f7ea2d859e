using Distill.Core.Imports;

namespace Distill.Core.Datasets;

/// <summary>What happened to one uploaded file: every line is accepted, rejected or counted as blank.</summary>
public sealed class DatasetImport
{
    /// <summary>The import job's id.</summary>
    public Guid Id { get; init; }

    public Guid UploadId { get; init; }

    public Guid DatasetId { get; init; }

    public Guid? DatasetVersionId { get; set; }

    public required string Format { get; init; }

    public BadLinePolicy ErrorMode { get; init; }

    public long LinesRead { get; set; }

    public long Accepted { get; set; }

    public long Rejected { get; set; }

    public long Blank { get; set; }

    /// <summary>The first issues (line, field, reason) as JSON, for the page; all of them are in the quarantine file.</summary>
    public string? FirstIssues { get; set; }

    /// <summary>Blob (in the uploads container) with every rejected line and its reasons.</summary>
    public string? QuarantineBlobName { get; set; }

    public string? Error { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? CompletedAt { get; set; }
}
