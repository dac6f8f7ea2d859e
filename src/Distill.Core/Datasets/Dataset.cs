namespace Distill.Core.Datasets;

/// <summary>A named line of DatasetVersions; the dataset itself holds no examples.</summary>
public sealed class Dataset
{
    public Guid Id { get; init; }

    public Guid ProjectId { get; init; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public DateTime CreatedAt { get; init; }
}
