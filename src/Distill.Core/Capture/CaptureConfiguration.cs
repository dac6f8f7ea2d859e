using Distill.Core.Projects;
using Distill.Core.Teachers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Distill.Core.Capture;

internal sealed class CaptureConfiguration : IEntityTypeConfiguration<CapturedCompletion>
{
    public void Configure(EntityTypeBuilder<CapturedCompletion> completion)
    {
        completion.ToTable("captured_completions");
        completion.HasKey(c => c.Id);
        completion.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Restrict);
        // A deleted teacher keeps its history: the exchanges were paid for.
        completion.HasOne<Teacher>().WithMany().HasForeignKey(c => c.TeacherId).OnDelete(DeleteBehavior.Restrict);
        completion.Property(c => c.Messages).HasColumnType("jsonb");
        completion.Property(c => c.Metadata).HasColumnType("jsonb");
        completion.Property(c => c.RequestParameters).HasColumnType("jsonb");
        completion.Property(c => c.Logprobs).HasColumnType("jsonb");
        completion.Property(c => c.Model).HasMaxLength(256);
        completion.Property(c => c.CompletionId).HasMaxLength(256);
        completion.Property(c => c.Cost).HasPrecision(18, 8);
        completion.Property(c => c.CreatedAt).HasDefaultValueSql("now()");
        completion.HasIndex(c => new { c.ProjectId, c.CreatedAt });
        completion.HasIndex(c => c.Metadata).HasMethod("gin").HasOperators("jsonb_path_ops");
    }
}
