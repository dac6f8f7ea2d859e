namespace Distill.Core.Datasets;

/// <summary>A file streamed into blob storage, waiting to be imported. The user's file name is shown, never used as a blob name.</summary>
public sealed class Upload
{
    public Guid Id { get; init; }

    public Guid ProjectId { get; init; }

    public required string FileName { get; init; }

    public long SizeBytes { get; set; }

    /// <summary>sha256 (hex) of the bytes as received.</summary>
    public string? Sha256 { get; set; }

    public bool Complete { get; set; }

    public DateTime CreatedAt { get; init; }

    public string BlobName => $"{Id}";
}
