namespace Distill.Core.Projects;

/// <summary>A team's workspace: its teachers, datasets, runs and models belong to it.</summary>
public sealed class Project
{
    /// <summary>The project every installation starts with, so a single team never has to create one.</summary>
    public static readonly Guid DefaultId = new("00000000-0000-0000-0000-000000000001");

    public Guid Id { get; init; }

    public required string Name { get; set; }

    public DateTime CreatedAt { get; init; }
}
