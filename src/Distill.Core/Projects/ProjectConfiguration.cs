using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Distill.Core.Projects;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> project)
    {
        project.ToTable("projects");
        project.HasKey(p => p.Id);
        project.Property(p => p.Name).HasMaxLength(200);
        project.HasIndex(p => p.Name).IsUnique();
        project.Property(p => p.CreatedAt).HasDefaultValueSql("now()");
        project.HasData(new Project { Id = Project.DefaultId, Name = "Default", CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
    }
}
