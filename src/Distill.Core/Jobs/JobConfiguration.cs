using Distill.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Distill.Core.Jobs;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>, IEntityTypeConfiguration<JobCheckpoint>
{
    public void Configure(EntityTypeBuilder<Job> job)
    {
        job.ToTable("jobs");
        job.HasKey(j => j.Id);
        job.Property(j => j.Kind).HasMaxLength(64);
        job.Property(j => j.Payload).HasColumnType("jsonb");
        job.Property(j => j.Status).AsLowerCaseName(16);
        job.Property(j => j.ClaimedBy).HasMaxLength(256);
        job.Property(j => j.CreatedAt).HasDefaultValueSql("now()");
        job.Property(j => j.PublishedAt).HasDefaultValueSql("now()");
        job.HasIndex(j => new { j.Status, j.PublishedAt });
        job.HasIndex(j => new { j.Status, j.HeartbeatAt });
        job.HasIndex(j => j.CreatedAt).IsDescending();
    }

    public void Configure(EntityTypeBuilder<JobCheckpoint> checkpoint)
    {
        checkpoint.ToTable("job_checkpoints");
        checkpoint.HasKey(c => new { c.JobId, c.Key });
        checkpoint.Property(c => c.Key).HasMaxLength(256);
        checkpoint.HasOne<Job>().WithMany().HasForeignKey(c => c.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
